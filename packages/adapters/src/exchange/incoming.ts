import { AsyncLocalStorage } from "node:async_hooks"
import type { Kysely } from "kysely"
import { type Actor, type Engine, type Logger, isCivicaseError } from "@civicase/core"
import { EdxmlError } from "../edxml/errors.js"
import type { EdxmlLimits } from "../edxml/limits.js"
import type { EdxmlPackage } from "../edxml/model.js"
import { type EdxmlParseOptions, parseEdxml } from "../edxml/parse.js"
import type { EdxmlSigner, EdxmlVerifier } from "../edxml/signature.js"
import { vietnamDate } from "../edxml/dates.js"
import type { DirectoryIndex } from "./directory.js"
import type { ExchangeReceiveRule } from "./exchange-rules.js"
import { type ReceivedDocument, exchangeStore } from "./exchange-store.js"
import type { ExchangePlatform, InboxEntry } from "./platform.js"
import { mapFields, packageView } from "./package-view.js"
import { sendStatus } from "./status-feedback.js"

/** The package a write is made for, while the poller acts on it: hooks read it to record the trace and report back. */
export interface ActingOn {
  readonly doc: ReceivedDocument
  readonly meta: Record<string, unknown>
}

/** Carries {@link ActingOn} from the poller to the engine's hooks of the same call. */
export const actingOn = new AsyncLocalStorage<ActingOn>()

/** What one package did. */
export type ReceiptOutcome =
  | { readonly kind: "created" | "event"; readonly documentId: string; readonly caseId: string; readonly replayed: boolean }
  | { readonly kind: "failed"; readonly documentId: string; readonly reason: string }
  | { readonly kind: "status"; readonly documentId: string; readonly status: string }

/** What the poller needs. */
export interface ReceiveContext {
  readonly db: Kysely<any>
  readonly province: string
  readonly platform: ExchangePlatform
  readonly directory: DirectoryIndex
  readonly rules: ReadonlyArray<ExchangeReceiveRule>
  readonly actor: Actor
  readonly logger: Logger
  readonly verifier?: EdxmlVerifier
  readonly requireSignature?: boolean
  readonly limits?: Partial<EdxmlLimits>
  readonly signer?: EdxmlSigner
}

const MAX_DOCUMENT_ID = 180
const HEADER = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"

/** A refusal of the package itself: answered with a `fail` status naming the element, then acknowledged. */
class PackageRefused extends Error {}

/** Errors worth another try later (the database, a conflict, the engine closing); anything else is the package's fault. */
function retryable(e: unknown): boolean {
  if (!isCivicaseError(e)) return !(e instanceof PackageRefused)
  return ["CIVICASE_E_STORAGE", "CIVICASE_E_ENGINE_CLOSED", "CIVICASE_E_INTERNAL", "CIVICASE_E_REVISION_CONFLICT"].includes(e.code)
}

function matches(rule: ExchangeReceiveRule, pkg: EdxmlPackage, sender: string, answers: boolean): boolean {
  const m = rule.match
  if (m.type !== undefined && m.type !== pkg.documentType.type) return false
  if (m.typeName !== undefined && m.typeName.normalize("NFC") !== pkg.documentType.typeName.normalize("NFC")) return false
  if (m.from && !m.from.includes(sender)) return false
  if (m.responseFor !== undefined && m.responseFor !== answers) return false
  return true
}

function describe(e: unknown): string {
  if (e instanceof EdxmlError) return `${e.path}: ${e.reason}`
  if (isCivicaseError(e) && Array.isArray((e as { issues?: unknown }).issues)) {
    return `${e.message} ${(e as unknown as { issues: { path: string; message: string }[] }).issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`
  }
  return (e as Error).message
}

/**
 * Acts on one message of `recipient`'s inbox, idempotently by document id:
 * a package starts a case or sends an event to the case whose package it
 * answers, as the exchange actor (authorized like anyone), with the sender
 * and trace in the history row's `meta.exchange`, attachments as case
 * documents; a malformed or refused package is answered with a `fail`
 * status naming the element or the reason. A status packet about a package
 * this province sent is read and logged. Throws only what is worth retrying
 * (the platform or the database failing); the caller then leaves the message
 * unacknowledged.
 */
export async function receiveOne(engine: Engine, ctx: ReceiveContext, recipient: string, entry: InboxEntry): Promise<ReceiptOutcome> {
  const xml = await ctx.platform.get(entry.id)
  const options: EdxmlParseOptions = {
    ...(ctx.verifier ? { verifier: ctx.verifier } : {}),
    ...(ctx.requireSignature === undefined ? {} : { requireSignature: ctx.requireSignature }),
    ...(ctx.limits ? { limits: ctx.limits } : {}),
  }
  let pkg: EdxmlPackage
  try {
    const parsed = await parseEdxml(xml, options)
    if (parsed.kind === "status") {
      ctx.logger.info({ from: parsed.status.from.organId, status: parsed.status.status, documentId: parsed.status.responseFor.documentId }, "exchange: status report")
      return { kind: "status", documentId: parsed.status.responseFor.documentId, status: parsed.status.status }
    }
    pkg = parsed.package
    if (pkg.documentId.length > MAX_DOCUMENT_ID) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${HEADER}/DocumentId`, `must be at most ${MAX_DOCUMENT_ID} characters`)
    if (pkg.from.organId !== entry.from) throw new EdxmlError("CIVICASE_E_EDXML_INVALID_VALUE", `${HEADER}/From/OrganId`, `is ${pkg.from.organId}, but the platform delivered the package from ${entry.from}`)
  } catch (e) {
    if (!(e instanceof EdxmlError)) throw e
    return refuse(ctx, recipient, entry, undefined, describe(e))
  }
  const responseFor = { organId: pkg.from.organId, code: `${pkg.code.codeNumber}/${pkg.code.codeNotation}`, promulgationDate: pkg.promulgationInfo.promulgationDate, documentId: pkg.documentId }
  const doc = await exchangeStore.received(engine.db, ctx.province, { documentId: pkg.documentId, sender: entry.from, recipient, responseFor })
  if (doc.sender !== entry.from) return refuse(ctx, recipient, entry, undefined, `${HEADER}/DocumentId: ${pkg.documentId} was already received from another sender`)
  if (doc.outcome === "failed") return refuse(ctx, recipient, entry, doc, "refused before (a repeated delivery)")
  let target: { caseId: string } | undefined
  for (const rf of pkg.responseFor ?? []) {
    target = await exchangeStore.sentTo(engine.db, ctx.province, rf.documentId, entry.from)
    if (target) break
  }
  const rule = ctx.rules.find((r) => matches(r, pkg, entry.from, target !== undefined))
  try {
    if (!rule) {
      const why = pkg.responseFor?.length && !target ? `${HEADER}/ResponseFor: names no package this province sent to ${entry.from}` : `${HEADER}/DocumentType: no receive rule takes ${pkg.documentType.type} ${pkg.documentType.typeName}`
      throw new PackageRefused(why)
    }
    const view = packageView(pkg, ctx.directory.agencyOf(entry.from))
    const meta = {
      exchange: {
        documentId: pkg.documentId,
        messageId: entry.id,
        from: { organId: pkg.from.organId, organName: pkg.from.organName },
        to: recipient,
        code: responseFor.code,
        trace: pkg.traceHeaders.map((t) => ({ organId: t.organId, timestamp: t.timestamp.toISOString() })),
      },
    }
    const key = `exchange:${pkg.documentId}`
    const result = await actingOn.run({ doc, meta }, async () => {
      const r = rule.create
        ? await engine.createCase(rule.create.workflow, mapFields(rule.create.input, view), ctx.actor, { idempotencyKey: key })
        : await engine.send(target!.caseId, { type: rule.event!.type, payload: mapFields(rule.event!.payload ?? {}, view) }, ctx.actor, { idempotencyKey: key })
      for (const [i, a] of pkg.attachments.entries()) {
        try {
          await engine.attachDocument(r.id, { name: a.name, mediaType: a.contentType, bytes: a.content, note: `${pkg.documentId} (${pkg.from.organName})` }, ctx.actor, { idempotencyKey: `${key}#${i}` })
        } catch (e) {
          if (retryable(e)) throw e
          ctx.logger.warn({ attachment: a.name, documentId: pkg.documentId, error: describe(e) }, "exchange: attachment not kept")
        }
      }
      return r
    })
    await exchangeStore.settle(engine.db, ctx.province, pkg.documentId, rule.create ? "created" : "event", result.id)
    return { kind: rule.create ? "created" : "event", documentId: pkg.documentId, caseId: result.id, replayed: result.replayed === true }
  } catch (e) {
    if (retryable(e)) throw e
    await exchangeStore.settle(engine.db, ctx.province, pkg.documentId, "failed", null)
    return refuse(ctx, recipient, entry, doc, describe(e))
  }
}

/** Answers a refused package with a `fail` status to its sender; the caller then acknowledges it. */
async function refuse(ctx: ReceiveContext, recipient: string, entry: InboxEntry, doc: ReceivedDocument | undefined, reason: string): Promise<ReceiptOutcome> {
  ctx.logger.warn({ package: entry.key, from: entry.from, reason }, "exchange: package refused")
  const now = new Date()
  await sendStatus(ctx, {
    documentId: doc?.documentId ?? entry.key,
    sender: entry.from,
    recipient,
    responseFor: doc?.responseFor ?? { organId: entry.from, code: entry.key.split(",").at(-1) || entry.key, promulgationDate: vietnamDate(now), documentId: entry.key },
    rev: 0,
    status: "fail",
    at: now.toISOString(),
    description: `Gói tin bị từ chối (package refused): ${reason}`,
  })
  return { kind: "failed", documentId: doc?.documentId ?? entry.key, reason }
}
