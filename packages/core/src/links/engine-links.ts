import { randomUUID } from "node:crypto"
import type { Actor } from "../actor.js"
import { type RecordedActivity, recordActivity } from "../activity/record-activity.js"
import { ForbiddenError, LinkRefusedError, ValidationError, type ValidationIssue } from "../errors/errors.js"
import { createCase } from "../engine/create-case.js"
import type { EngineContext } from "../engine/engine-context.js"
import { loadVisible } from "../engine/load-case.js"
import { inputIssues } from "../input/input-issues.js"
import { storageError } from "../engine/storage-error.js"
import { caseStore } from "../storage/case-store.js"
import { compileSchema } from "../workflow/json-schema.js"
import { type LinkForward, type LinkStatus, linkForwardSchema, linkStatusSchema } from "./link-messages.js"
import { type ResolvedLinkOptions, linkActorId, mapInput } from "./link-options.js"
import { linkStore } from "./link-store.js"
import { type Link, linkView } from "./link-view.js"

/**
 * What a coordinator asks when forwarding a case to a peer.
 *
 * @example
 * { peer: "da-nang", kind: "press-incident", subject: { summary: "Tin sai sự thật về lễ hội pháo hoa" }, note: "Đề nghị phối hợp xác minh" }
 */
export interface ForwardRequest {
  readonly peer: string
  readonly kind: string
  readonly subject?: Readonly<Record<string, unknown>>
  readonly note?: string
}

/** What receiving a forwarded case did: the link and the case here, and whether it already existed (a repeat). */
export interface InboundResult {
  readonly link: Link
  readonly case: { readonly id: string; readonly workflow: string; readonly state: string; readonly status: string; readonly rev: number }
  readonly replayed: boolean
}

/**
 * Links between deployments (liên kết hồ sơ giữa các tỉnh), in the engine so
 * that every caller is authorized the same way.
 *
 * @example
 * const link = await engine.links.forward(caseId, { peer: "da-nang", kind: "press-incident", subject: { summary } }, coordinator)
 * const links = await engine.links.list(caseId, coordinator)
 */
export interface EngineLinks {
  /**
   * Forwards a case to a peer: a `case.link_created` history row and a
   * `link.forward` outbox row (delivered by the link transport), in one
   * statement. Only `forwardRoles`, on a case the actor sees.
   */
  forward(caseId: string, request: ForwardRequest, actor: Actor, options?: { readonly idempotencyKey?: string }): Promise<Link>
  /** The links of a case the actor sees, oldest first. */
  list(caseId: string, actor: Actor): Promise<Link[]>
  /**
   * Starts (once per link id) the case a peer forwarded, as the link actor
   * `link:<peer>`, under the inbound mapping for its kind. `peer` is the
   * province whose key verified the request: the transport's job. A repeat
   * returns the same case with `replayed: true`.
   */
  receive(peer: string, forward: LinkForward): Promise<InboundResult>
  /**
   * Records a peer's report on a case this deployment forwarded, as a
   * `case.link_updated` history row (once per link and remote rev). Returns
   * the rev written, or the first one on a repeat.
   */
  update(peer: string, status: LinkStatus): Promise<{ readonly rev: number; readonly replayed: boolean }>
}

const checkForward = compileSchema(linkForwardSchema)
const checkStatus = compileSchema(linkStatusSchema)
const checkRequest = compileSchema({
  type: "object",
  required: ["peer", "kind"],
  properties: {
    peer: { type: "string", minLength: 1, maxLength: 63 },
    kind: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{0,99}$" },
    subject: { type: "object", maxProperties: 50 },
    note: { type: "string", minLength: 1, maxLength: 2000 },
  },
  additionalProperties: false,
})
const MAX_SUBJECT_BYTES = 16 * 1024

function refusedIf(issues: ReadonlyArray<ValidationIssue>, what: string): void {
  if (issues.length) throw new ValidationError(issues, what)
}

/**
 * The links API of one engine; `options` undefined means no peers: nothing
 * can be forwarded or received.
 *
 * @example
 * const links = engineLinks(context, resolveLinkOptions(options.links))
 */
export function engineLinks(context: EngineContext, options: ResolvedLinkOptions | undefined): EngineLinks {
  const linkActor = (peer: string): Actor => ({ id: linkActorId(peer), province: options!.province, agency: options!.agency, roles: [options!.integrationRole] })
  const knownPeer = (peer: string, what: string) => {
    if (!options || !options.peers.includes(peer)) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `${what}: ${JSON.stringify(peer).slice(0, 80)} is not a configured peer`)
  }
  return {
    async forward(caseId, request, actor, opts = {}) {
      refusedIf([...checkRequest(request), ...inputIssues(request ?? {}, context.inputLimits)], "link request")
      if (!options?.peers.includes(request.peer)) {
        throw new ValidationError([{ path: "/peer", message: `must be a configured peer: ${options?.peers.join(", ") || "none is configured"}` }], "link request")
      }
      if (request.subject !== undefined && Buffer.byteLength(JSON.stringify(request.subject)) > MAX_SUBJECT_BYTES) {
        throw new ValidationError([{ path: "/subject", message: `must be at most ${MAX_SUBJECT_BYTES} bytes of JSON` }], "link request")
      }
      if (!actor.roles.some((r) => options.forwardRoles.includes(r))) throw new ForbiddenError("forward a case", `requires one of the roles ${options.forwardRoles.join(", ")}`)
      if (actor.province !== options.province) throw new ForbiddenError("forward a case", `links are configured for ${options.province}`)
      const done: RecordedActivity = await recordActivity(
        context,
        caseId,
        actor,
        "case.link_created",
        (row) => {
          const linkId = randomUUID()
          const forward: LinkForward = {
            linkId,
            from: { province: row.province, caseId: row.id, workflow: row.workflow, state: row.state, rev: row.rev + 1 },
            to: request.peer,
            kind: request.kind,
            subject: request.subject ?? {},
            ...(request.note === undefined ? {} : { note: request.note }),
          }
          return {
            payload: { linkId, peer: request.peer, kind: request.kind, subject: forward.subject, ...(request.note === undefined ? {} : { note: request.note }) },
            outbox: [{ topic: "link.forward", payload: forward }],
            link: { op: "insert", province: row.province, id: linkId, direction: "outbound", peer: request.peer, kind: request.kind },
          }
        },
        opts.idempotencyKey === undefined ? {} : { idempotencyKey: opts.idempotencyKey },
      )
      const linkId = await linkStore.createdAt(context.db, caseId, done.rev)
      const row = linkId && (await linkStore.get(context.db, done.row.province, linkId))
      if (!row) throw new ValidationError([{ path: "/idempotencyKey", message: "was used on this case for something other than a link" }], "link request")
      return linkView(row)
    },

    async list(caseId, actor) {
      await loadVisible(context.access, context.db, caseId, actor)
      const rows = await linkStore.byCase(context.db, caseId).catch((e) => {
        throw storageError(e)
      })
      return rows.map(linkView)
    },

    async receive(peer, forward) {
      knownPeer(peer, "link request")
      refusedIf(checkForward(forward), "link request")
      if (forward.from.province !== peer) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `the request comes from ${forward.from.province}, not the peer ${peer} that signed it`)
      if (forward.to !== options!.province) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `the request is addressed to ${forward.to}, not ${options!.province}`)
      const mapping = options!.inbound.find((m) => (m.from === peer || m.from === "*") && m.kind === forward.kind)
      if (!mapping) throw new LinkRefusedError("CIVICASE_E_LINK_NOT_MAPPED", `this deployment takes no ${forward.kind} from ${peer}`)
      const actor = linkActor(peer)
      const key = `link:${forward.linkId}`
      // The link authorizes its actor to read back the case it made, whether or not its agency is a party.
      let existing = await caseStore.findByCreateKey(context.db, actor.province, actor.id, key).catch((e) => {
        throw storageError(e)
      })
      let replayed = existing !== undefined
      if (!existing) {
        const taken = await linkStore.get(context.db, actor.province, forward.linkId)
        if (taken) throw new LinkRefusedError("CIVICASE_E_LINK_REPLAYED", `link ${forward.linkId} is already bound to another case here`)
        const row = linkStore.inboundInsert({
          province: actor.province,
          id: forward.linkId,
          peer,
          kind: forward.kind,
          remote: { caseId: forward.from.caseId, workflow: forward.from.workflow, state: forward.from.state, rev: forward.from.rev },
          at: context.clock.now(),
        })
        try {
          // The link row is written in the case's own statement: a case made by a link always has it.
          await createCase(context, mapping.workflow, mapInput(mapping.input, forward), actor, { idempotencyKey: key }, [row])
        } catch (e) {
          // A concurrent repeat may have won the insert and be invisible to the link actor: look again below.
          if ((e as { code?: string }).code !== "CIVICASE_E_CASE_NOT_FOUND") throw e
          replayed = true
        }
        existing = await caseStore.findByCreateKey(context.db, actor.province, actor.id, key)
        if (!existing) throw storageError(new Error("the forwarded case was not found after it was created"))
      }
      const link = await linkStore.get(context.db, actor.province, forward.linkId)
      if (!link || link.case_id !== existing.id) throw new LinkRefusedError("CIVICASE_E_LINK_REPLAYED", `link ${forward.linkId} is already bound to another case here`)
      return {
        link: linkView(link),
        case: { id: existing.id, workflow: existing.workflow, state: existing.state, status: existing.status, rev: existing.rev },
        replayed,
      }
    },

    async update(peer, status) {
      knownPeer(peer, "link status")
      refusedIf(checkStatus(status), "link status")
      if (status.from !== peer) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `the status comes from ${status.from}, not the peer ${peer} that signed it`)
      if (status.to !== options!.province) throw new LinkRefusedError("CIVICASE_E_LINK_UNKNOWN_PEER", `the status is addressed to ${status.to}, not ${options!.province}`)
      const link = await linkStore.get(context.db, options!.province, status.linkId).catch((e) => {
        throw storageError(e)
      })
      if (!link || link.direction !== "outbound" || link.peer !== peer) throw new LinkRefusedError("CIVICASE_E_LINK_NOT_FOUND", `no link ${status.linkId} to ${peer} here`)
      const remote = { caseId: status.caseId, workflow: status.workflow, rev: status.rev, event: status.event, state: status.state, status: status.status, at: status.at }
      const done = await recordActivity(
        context,
        link.case_id,
        linkActor(peer),
        "case.link_updated",
        () => ({
          payload: { linkId: link.id, peer, remote },
          link: { op: "remote", province: link.province, id: link.id, caseId: status.caseId, workflow: status.workflow, state: status.state, status: status.status, rev: status.rev },
        }),
        { idempotencyKey: `link-status:${link.id}:${status.rev}`, authority: "granted" },
      )
      return { rev: done.rev, replayed: done.outcome === "replayed" }
    },
  }
}
