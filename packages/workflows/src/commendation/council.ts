import type { CouncilRules } from "./config.js"

/** One council member's vote (phiếu biểu quyết). */
export interface CouncilVote {
  readonly by: string
  readonly vote: "for" | "against" | "abstain"
  readonly comment?: string
}

/** The count of a council vote against the configured rules. */
export interface CouncilTally {
  readonly cast: number
  readonly for: number
  readonly against: number
  readonly abstain: number
  readonly quorumMet: boolean
  /** True when the votes in favour reach the configured majority (and the quorum is met). */
  readonly carried: boolean
}

/**
 * Counts `votes` under `rules`.
 *
 * @example
 * tallyVotes([{ by: "a", vote: "for" }, { by: "b", vote: "for" }, { by: "c", vote: "against" }], { members: 5, quorum: 3, majority: "simple" })
 * // { cast: 3, for: 2, against: 1, abstain: 0, quorumMet: true, carried: true }
 */
export function tallyVotes(votes: ReadonlyArray<CouncilVote>, rules: CouncilRules): CouncilTally {
  const count = (v: CouncilVote["vote"]) => votes.filter((x) => x.vote === v).length
  const cast = votes.length
  const inFavour = count("for")
  const quorumMet = cast >= rules.quorum
  const majority =
    rules.majority === "simple" ? inFavour * 2 > cast : rules.majority === "two_thirds" ? inFavour * 3 >= cast * 2 : inFavour * 2 > rules.members
  return { cast, for: inFavour, against: count("against"), abstain: count("abstain"), quorumMet, carried: quorumMet && majority && inFavour > 0 }
}
