import type { Plugin } from "../plugins/plugin.js"
import type { LinkStatus } from "./link-messages.js"
import { type ResolvedLinkOptions, linkActorId } from "./link-options.js"

/**
 * The engine's own plugin that reports the progress of cases a peer
 * forwarded here: for each commit of such a case (created by `link:<peer>`
 * with the key `link:<linkId>`), a `link.status` outbox row in the commit's
 * own statement, so the peer hears of every rev exactly when it exists.
 *
 * @example
 * plugins.push(linkStatusPlugin(resolveLinkOptions(options.links)))
 */
export function linkStatusPlugin(options: ResolvedLinkOptions): Plugin {
  const byActor = new Map(options.peers.map((p) => [linkActorId(p), p]))
  return {
    name: "civicase.link-status",
    hooks: {
      beforeWrite(commit) {
        const peer = byActor.get(commit.createdBy)
        if (!peer || commit.province !== options.province || !commit.createKey?.startsWith("link:")) return
        const status: LinkStatus = {
          linkId: commit.createKey.slice("link:".length),
          from: options.province,
          to: peer,
          caseId: commit.caseId,
          workflow: commit.workflow,
          rev: commit.rev,
          event: commit.event,
          state: commit.to,
          status: commit.status,
          at: commit.at,
        }
        return { outbox: [{ topic: "link.status", payload: status }] }
      },
    },
  }
}
