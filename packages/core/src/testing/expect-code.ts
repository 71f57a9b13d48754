import { expect } from "vitest"
import { isCivicaseError } from "../errors/errors.js"

/**
 * Expects `promise` to reject with a civicase error of `code`, and returns it.
 *
 * @example
 * const e = await expectCode(engine.send(id, { type: "APPROVE" }, officer), "CIVICASE_E_FORBIDDEN")
 */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<any> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`)
    },
    (e) => e,
  )
  if (!isCivicaseError(error)) throw error
  expect(error.code).toBe(code)
  return error
}
