import type { Kysely } from "kysely"
import type { PendingCommit } from "@civicase/core"
import { buildEdxmlStatus } from "../edxml/status-packet.js"
import type { EdxmlStatus } from "../edxml/status-codes.js"
import { type EdxmlSigner, signEdxml } from "../edxml/signature.js"
import type { DirectoryIndex } from "./directory.js"
import type { ReceivedDocument } from "./exchange-store.js"
import type { ExchangePlatform } from "./platform.js"

/**
 * The outbox payload of a status packet (báo trạng thái xử lý) to the
 * sender of a package this province received: which package, which commit,
 * and the status it reports.
 */
export interface StatusOrder {
  readonly documentId: string
  readonly sender: string
  readonly recipient: string
  readonly responseFor: ReceivedDocument["responseFor"]
  readonly caseId: string
  readonly rev: number
  readonly event: string
  readonly state: string
  readonly status: EdxmlStatus
  readonly at: string
}

/** The status a commit reports: accepted when a package started or reached the case, done when the case is, in progress otherwise. */
export function statusOf(commit: PendingCommit, causedByPackage: boolean): EdxmlStatus {
  if (commit.status === "done") return "done"
  return causedByPackage ? "acceptance" : "processing"
}

/** The status order for one commit and the package it reports on. */
export function statusOrder(doc: ReceivedDocument, commit: PendingCommit, causedByPackage: boolean): StatusOrder {
  return {
    documentId: doc.documentId,
    sender: doc.sender,
    recipient: doc.recipient,
    responseFor: doc.responseFor,
    caseId: commit.caseId,
    rev: commit.rev,
    event: commit.event,
    state: commit.to,
    status: statusOf(commit, causedByPackage),
    at: commit.at,
  }
}

/**
 * Sends a status packet keyed by document id, status and rev, so a retry
 * sends it once. `description` says in Vietnamese and English what happened.
 */
export async function sendStatus(
  ctx: { readonly db: Kysely<any>; readonly platform: ExchangePlatform; readonly directory: DirectoryIndex; readonly signer?: EdxmlSigner },
  order: Omit<StatusOrder, "caseId" | "event" | "state"> & { readonly caseId?: string; readonly event?: string; readonly state?: string; readonly description?: string },
): Promise<void> {
  const agency = ctx.directory.agencyOf(order.recipient)
  const description =
    order.description ??
    (order.rev === 1
      ? `Đã tiếp nhận, lập hồ sơ ${order.caseId} (accepted as case ${order.caseId})`
      : `Hồ sơ ${order.caseId}: ${order.event} → ${order.state} (case ${order.caseId}: ${order.event} → ${order.state})`)
  let xml = buildEdxmlStatus({
    responseFor: order.responseFor,
    from: { organId: order.recipient, organName: agency ? ctx.directory.nameOf(agency) : order.recipient },
    status: order.status,
    description: description.slice(0, 2000),
    timestamp: new Date(order.at),
  })
  if (ctx.signer) xml = await signEdxml(xml, ctx.signer)
  await ctx.platform.send({ from: order.recipient, to: [order.sender], key: `${order.documentId}#${order.status}#${order.rev}`, xml })
}
