import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { type Engine, InternalError, StorageError, ValidationError } from "@civicase/core"
import { toEffectService } from "@civicase/core/effect"

/** An engine whose reads fail as given: the Effect wrapper's error mapping needs nothing else. */
function failingEngine(error: unknown): Engine {
  const fail = async () => {
    throw error
  }
  return { getCase: fail, listCases: fail, history: fail, createCase: fail, send: fail } as unknown as Engine
}

async function failure(error: unknown): Promise<unknown> {
  const exit = await Effect.runPromiseExit(toEffectService(failingEngine(error)).getCase("id", { id: "a", province: "p", agency: "x", roles: [] }))
  if (!Exit.isFailure(exit)) throw new Error("expected the effect to fail")
  const found = exit.cause.reasons.find((r) => r._tag === "Fail")
  return found && "error" in found ? found.error : undefined
}

describe("the Effect API's error channel", () => {
  it("keeps civicase errors as they are, with their tag", async () => {
    const storage = new StorageError("connection", new Error("down"))
    expect(await failure(storage)).toBe(storage)
    const invalid = new ValidationError([{ path: "/x", message: "bad" }])
    expect(await failure(invalid)).toBe(invalid)
  })

  it("turns a programming error into InternalError (500), not a StorageError to retry", async () => {
    const bug = new TypeError("cannot read properties of undefined")
    const e = await failure(bug)
    expect(e).toBeInstanceOf(InternalError)
    expect(e).toMatchObject({ _tag: "InternalError", code: "CIVICASE_E_INTERNAL", status: 500, cause: bug })
  })
})
