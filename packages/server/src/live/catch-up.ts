import type { AccessPolicy, Actor, CaseView, Engine } from "@civicase/core"
import { isCivicaseError } from "@civicase/core"
import type { ClientSocket } from "./client-socket.js"
import type { CommitNotice, NoticeDetail } from "./live-hub.js"
import { sendFailure } from "./live-errors.js"
import type { SentRevs } from "./sent-revs.js"

/** Details kept per case while a drain is pending; past this the client reads history instead. */
const MAX_DETAILS_PER_CASE = 1000

/** An in-process transition waiting to be sent: what it says, and who may see it. */
interface KnownTransition extends NoticeDetail {
  readonly province: string
  readonly agencies: ReadonlyArray<string>
}

/** A history row as the engine returns it, reduced to what a `transition` message carries. */
type HistoryRow = { rev: number; type: string; from: string | null; to: string; at: string }

interface CatchUpLogger {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

const isNotFound = (e: unknown) => isCivicaseError(e) && e.code === "CIVICASE_E_CASE_NOT_FOUND"

/**
 * Brings one client up to date with the cases it was told about. When this
 * process committed exactly the revs the client expects next, they are sent
 * from the commit itself, authorized by the engine's own rule
 * (`AccessPolicy.canSee` on the case's agencies at that rev): no query. Any
 * gap (a NOTIFY from another process, a lost or out-of-order notice, a resume
 * with `sinceRev`) is filled from history, which the engine authorizes, so a
 * missed or repeated notice cannot make a client miss or repeat a transition.
 * A read that fails (the database is away) is told to the client as an error
 * naming the case, and the other cases still go on; the case's next notice
 * fills the gap, or the client resumes it with `sinceRev`.
 *
 * @example
 * if (catchUp.note(notice)) queue.run(() => catchUp.drain())
 */
export class CatchUp {
  /** Cases with news to catch up on, with the rev last announced. */
  private readonly pending = new Map<string, number>()
  /** Transitions committed in this process and not yet sent, by case and rev. */
  private readonly known = new Map<string, Map<number, KnownTransition>>()
  private draining = false

  constructor(
    private readonly engine: Engine,
    private readonly actor: Actor,
    private readonly access: AccessPolicy,
    private readonly sent: SentRevs,
    private readonly out: ClientSocket,
    private readonly log: CatchUpLogger,
  ) {}

  /** Records a wanted notice; true when a drain must be queued (none is waiting yet). */
  note(n: CommitNotice): boolean {
    this.pending.set(n.caseId, Math.max(n.rev, this.pending.get(n.caseId) ?? 0))
    if (n.detail) {
      const details = this.known.get(n.caseId) ?? new Map<number, KnownTransition>()
      if (details.size < MAX_DETAILS_PER_CASE) details.set(n.rev, { ...n.detail, province: n.province, agencies: n.agencies })
      this.known.set(n.caseId, details)
    }
    if (this.draining) return false
    this.draining = true
    return true
  }

  /** Sends what every noted case is missing, one case at a time. */
  async drain(): Promise<void> {
    try {
      await this.drainPending()
    } finally {
      this.draining = false
    }
  }

  /** Fills the gap of each case from history when its head moved past what was sent (after a lost LISTEN). */
  async resync(caseIds: ReadonlyArray<string>): Promise<void> {
    for (const caseId of caseIds) {
      const last = this.sent.get(caseId)
      if (last === undefined || this.out.closed) continue
      try {
        const view = await this.engine.getCase(caseId, this.actor)
        if (view.rev > last) this.sendRows(caseId, await this.engine.history(caseId, this.actor))
      } catch (e) {
        if (!isNotFound(e)) sendFailure(this.out, this.log, e, caseId)
      }
    }
  }

  /** Sends a case's current state and counts its rev as sent. */
  sendCase(view: CaseView): void {
    this.out.send({ type: "case", case: view })
    this.sent.remember(view.id, view.rev)
  }

  /** Sends the rows of a case's history past the rev last sent, in order. */
  sendRows(caseId: string, rows: ReadonlyArray<HistoryRow>): void {
    const last = this.sent.get(caseId) ?? 0
    for (const row of rows) {
      if (row.rev <= last) continue
      this.out.send({ type: "transition", caseId, rev: row.rev, from: row.from, to: row.to, event: row.type, at: row.at })
      this.sent.remember(caseId, row.rev)
    }
  }

  /** Drops what is waiting for a case (unsubscribed). */
  forget(caseId: string): void {
    this.pending.delete(caseId)
    this.known.delete(caseId)
  }

  clear(): void {
    this.pending.clear()
    this.known.clear()
  }

  private async drainPending(): Promise<void> {
    while (this.pending.size > 0 && !this.out.closed) {
      const [caseId, announced] = this.pending.entries().next().value as [string, number]
      this.pending.delete(caseId)
      const details = this.known.get(caseId)
      this.known.delete(caseId)
      const last = this.sent.get(caseId)
      if (last !== undefined && last >= announced) continue
      if (details && this.sendKnown(caseId, last ?? 0, announced, details)) continue
      try {
        if (last === undefined && announced > 1) {
          // A case entering a filter mid-life: its current state, not its whole past.
          this.sendCase(await this.engine.getCase(caseId, this.actor))
          continue
        }
        this.sendRows(caseId, await this.engine.history(caseId, this.actor))
      } catch (e) {
        // Not visible to this actor (or not any more): nothing to send.
        if (!isNotFound(e)) sendFailure(this.out, this.log, e, caseId)
      }
    }
  }

  /**
   * Sends revs `last + 1 … announced` from this process's commits when all of
   * them are known and visible. A case this actor may not see at `announced`
   * is skipped: the engine would refuse to read it too, and a later commit
   * that shows it again comes with its own notice. Answers false when the
   * engine must decide (a gap, or visibility changing within the run) and
   * history is read instead.
   */
  private sendKnown(caseId: string, last: number, announced: number, details: ReadonlyMap<number, KnownTransition>): boolean {
    const latest = details.get(announced)
    if (latest && !this.access.canSee(this.actor, latest.province, latest.agencies)) return true
    const run: Array<KnownTransition & { rev: number }> = []
    for (let rev = last + 1; rev <= announced; rev++) {
      const t = details.get(rev)
      if (!t) return false
      run.push({ ...t, rev })
    }
    if (!run.every((t) => this.access.canSee(this.actor, t.province, t.agencies))) return false
    for (const t of run) {
      this.out.send({ type: "transition", caseId, rev: t.rev, from: t.from, to: t.to, event: t.event, at: t.at })
      this.sent.remember(caseId, t.rev)
    }
    return true
  }
}
