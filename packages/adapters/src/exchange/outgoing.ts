import { type Kysely, sql } from "kysely"
import { type PendingCommit, valueAt } from "@civicase/core"
import { vietnamDate } from "../edxml/dates.js"
import { edxmlDocumentId } from "../edxml/document-id.js"
import type { EdxmlPackage } from "../edxml/model.js"
import { buildEdxmlPackage } from "../edxml/package-builder.js"
import { type EdxmlSigner, signEdxml } from "../edxml/signature.js"
import type { DirectoryIndex } from "./directory.js"
import type { ExchangeRecipient, ExchangeSendRule } from "./exchange-rules.js"
import { exchangeStore } from "./exchange-store.js"
import type { ExchangePlatform } from "./platform.js"

/** The outbox payload of a package to send: the rule as it was when the commit was written, and the commit. */
export interface PackageOrder {
  readonly rule: ExchangeSendRule
  readonly caseId: string
  readonly province: string
  readonly workflow: string
  readonly rev: number
  readonly event: string
  readonly at: string
  readonly actor: { readonly id: string; readonly agency: string }
}

/** The outbox messages a commit's matching send rules write. */
export function packageOrders(rules: ReadonlyArray<ExchangeSendRule>, province: string, commit: PendingCommit): PackageOrder[] {
  if (commit.province !== province) return []
  return rules
    .filter((r) => r.workflow === commit.workflow && r.event === commit.event)
    .map((rule) => ({
      rule,
      caseId: commit.caseId,
      province: commit.province,
      workflow: commit.workflow,
      rev: commit.rev,
      event: commit.event,
      at: commit.at,
      actor: { id: commit.actor.id, agency: commit.actor.agency },
    }))
}

/**
 * The stable `DocumentId` of the package a commit sends: the sender's code,
 * the commit's date in Vietnam, the rev as number and the rule's notation
 * with the case id, so every retry sends the same document and no two cases
 * share one.
 *
 * @example
 * outgoingDocumentId("000.00.14.H62", order) // "000.00.14.H62,2025/03/03,4/KH.6f1c…"
 */
export function outgoingDocumentId(from: string, order: PackageOrder): { documentId: string; codeNumber: string; codeNotation: string } {
  const codeNumber = String(order.rev)
  const codeNotation = `${order.rule.notation}.${order.caseId}`
  return { documentId: edxmlDocumentId({ organId: from, promulgationDate: vietnamDate(new Date(order.at)), codeNumber, codeNotation }), codeNumber, codeNotation }
}

interface CaseRow {
  title: string | null
  context: unknown
  owner_agency: string
  lead_agency: string | null
  cooperating_agencies: string[]
}


/** The agency ids (or, for fixed codes, the codes) a recipient names for one case. */
function recipients(to: ExchangeRecipient, row: CaseRow, directory: DirectoryIndex): { agencies: string[]; codes: string[] } {
  if ("code" in to) return { agencies: [], codes: [to.code] }
  if ("role" in to) return { agencies: [...directory.holders(to.role)], codes: [] }
  if ("party" in to) {
    const ids = to.party === "owner" ? [row.owner_agency] : to.party === "lead" ? (row.lead_agency ? [row.lead_agency] : []) : row.cooperating_agencies
    return { agencies: ids, codes: [] }
  }
  const context = typeof row.context === "string" ? JSON.parse(row.context) : row.context
  const agency = valueAt(context, to.contextAgency)
  return { agencies: typeof agency === "string" ? [agency] : [], codes: [] }
}

/** What delivering a package needs. */
export interface SendContext {
  readonly db: Kysely<any>
  readonly platform: ExchangePlatform
  readonly directory: DirectoryIndex
  readonly fallbackAgency: string
  readonly place: string
  readonly signer?: EdxmlSigner
}

/**
 * Delivers one package order: resolves the recipients on the case as it is
 * now, builds (and signs) the package, hands it to the platform keyed by its
 * document id (a retry after a lost answer sends nothing twice) and records
 * it as sent. Throws to be retried: an agency without a code, no recipient,
 * the platform failing.
 */
export async function sendPackage(ctx: SendContext, order: PackageOrder): Promise<{ documentId: string; to: string[] }> {
  const found = await sql<CaseRow>`select title, context, owner_agency, lead_agency, cooperating_agencies from civicase_cases where id = ${order.caseId}::uuid`.execute(ctx.db)
  const row = found.rows[0]
  if (!row) throw new Error(`exchange: case ${order.caseId} is not in the database`)
  const codes = new Set<string>()
  for (const to of order.rule.to) {
    const r = recipients(to, row, ctx.directory)
    for (const c of r.codes) codes.add(c)
    for (const agency of r.agencies) {
      const code = ctx.directory.codeOf(agency)
      if (!code) throw new Error(`exchange: agency ${agency} has no national code (agencies[].code in the province file)`)
      codes.add(code)
    }
  }
  const senderAgency = ctx.directory.codeOf(order.actor.agency) ? order.actor.agency : ctx.fallbackAgency
  const from = ctx.directory.codeOf(senderAgency)
  if (!from) throw new Error(`exchange: the sending agency ${senderAgency} has no national code`)
  codes.delete(from)
  if (codes.size === 0) throw new Error(`exchange: rule ${order.workflow}/${order.event} names no recipient for case ${order.caseId}`)
  const { documentId, codeNumber, codeNotation } = outgoingDocumentId(from, order)
  const at = new Date(order.at)
  const person = await sql<{ name: string }>`select name from civicase_people where province = ${order.province} and id = ${order.actor.id}`.execute(ctx.db)
  const to = [...codes]
  const pkg: EdxmlPackage = {
    from: { organId: from, organName: ctx.directory.nameOf(senderAgency) },
    to: to.map((code) => ({ organId: code, organName: ctx.directory.agencyOf(code) ? ctx.directory.nameOf(ctx.directory.agencyOf(code)!) : code })),
    documentId,
    code: { codeNumber, codeNotation },
    promulgationInfo: { place: ctx.place, promulgationDate: vietnamDate(at) },
    documentType: order.rule.documentType,
    subject: row.title ? `${order.rule.subject}: ${row.title}` : order.rule.subject,
    signerInfo: { fullName: person.rows[0]?.name ?? order.actor.id },
    ...(order.rule.steeringType === undefined ? {} : { steeringType: order.rule.steeringType }),
    traceHeaders: [{ organId: from, timestamp: at }],
    attachments: [],
  }
  let xml = buildEdxmlPackage(pkg)
  if (ctx.signer) xml = await signEdxml(xml, ctx.signer)
  const { id } = await ctx.platform.send({ from, to, key: documentId, xml })
  await exchangeStore.sent(ctx.db, { province: order.province, documentId, caseId: order.caseId, rev: order.rev, to, messageId: id })
  return { documentId, to }
}
