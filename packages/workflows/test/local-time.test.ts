import { describe, expect, it } from "vitest"
import { localInstant } from "../src/province/local-time.js"

describe("localInstant: local wall time in a province's zone", () => {
  it("puts a Vietnamese 17:00 at 10:00 UTC, and 24:00 at the next local midnight", () => {
    expect(localInstant("2025-04-15", "17:00", "Asia/Ho_Chi_Minh").toISOString()).toBe("2025-04-15T10:00:00.000Z")
    expect(localInstant("2025-04-15", "24:00", "Asia/Ho_Chi_Minh").toISOString()).toBe("2025-04-15T17:00:00.000Z")
  })

  it("follows a zone whose offset changes (Berlin summer time starts 2025-03-30)", () => {
    expect(localInstant("2025-03-29", "17:00", "Europe/Berlin").toISOString()).toBe("2025-03-29T16:00:00.000Z")
    expect(localInstant("2025-03-30", "17:00", "Europe/Berlin").toISOString()).toBe("2025-03-30T15:00:00.000Z")
  })

  it("rolls a report due 02-29 over to 1 March in a common year, and refuses text that is no date", () => {
    expect(localInstant("2025-02-29", "17:00", "Asia/Ho_Chi_Minh").toISOString()).toBe("2025-03-01T10:00:00.000Z")
    expect(() => localInstant("15/04/2025", "17:00", "Asia/Ho_Chi_Minh")).toThrow('"15/04/2025" is not a date YYYY-MM-DD')
  })
})
