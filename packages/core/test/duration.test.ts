import { describe, expect, it } from "vitest"
import { setup } from "xstate"
import { type Calendar, calendarProblems, defaultCalendar, defineWorkflow, dueAt, durationProblem, isWorkingDay, parseIsoDuration } from "@civicase/core"

/** Tết Ất Tỵ 2025: nine days off, Saturday 25 January to Sunday 2 February. */
const tet2025 = ["2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02"]
const vietnam: Calendar = { ...defaultCalendar, holidays: [...tet2025, "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02", "2026-01-01"] }

const at = (iso: string) => new Date(iso)
const due = (days: number, from: string, calendar: Calendar = vietnam) => dueAt({ workingDays: days }, at(from), calendar).toISOString()

describe("ISO 8601 durations", () => {
  it("parses weeks, days, hours, minutes and fractional seconds", () => {
    expect(parseIsoDuration("PT1H")).toBe(3_600_000)
    expect(parseIsoDuration("PT1H30M")).toBe(5_400_000)
    expect(parseIsoDuration("P1DT12H")).toBe(36 * 3_600_000)
    expect(parseIsoDuration("P1W")).toBe(7 * 86_400_000)
    expect(parseIsoDuration("PT0.3S")).toBe(300)
    expect(parseIsoDuration("P0D")).toBe(0)
  })

  it("refuses malformed text with an error naming it", () => {
    for (const bad of ["P1Y", "P2M", "1H", "PT", "P", "P1DT", "PT1.5H", "", " PT1H", "pt1h", "P-1D", "PT1H "]) {
      expect(() => parseIsoDuration(bad), bad).toThrow(RangeError)
      expect(() => parseIsoDuration(bad), bad).toThrow(`"${bad}" is not an ISO 8601 duration`)
    }
    expect(() => parseIsoDuration("P1Y")).toThrow(/years and months are not accepted/)
  })

  it("is elapsed time, whatever the calendar says", () => {
    // Friday 16:00 in Hà Nội + 24 hours is Saturday 16:00, a day off.
    expect(dueAt("P1D", at("2025-03-07T09:00:00Z"), vietnam).toISOString()).toBe("2025-03-08T09:00:00.000Z")
  })

  it("checks a duration's shape, naming what is wrong", () => {
    expect(durationProblem("PT1H")).toBeUndefined()
    expect(durationProblem({ workingDays: 5 })).toBeUndefined()
    expect(durationProblem({ workingDays: 0 })).toBeUndefined()
    expect(durationProblem("P1Y")).toContain('"P1Y"')
    expect(durationProblem({ workingDays: 1.5 })).toBe("workingDays must be a whole number ≥ 0, got 1.5")
    expect(durationProblem({ workingDays: -1 })).toContain("got -1")
    expect(durationProblem({ workingDays: "3" })).toContain("got 3")
    expect(durationProblem(5)).toBe("a duration is an ISO 8601 string, { workingDays: n } or { calendarDays: n }, got 5")
    expect(() => dueAt({ workingDays: -2 }, new Date(), vietnam)).toThrow("got -2")
  })
})

describe("working days (ngày làm việc)", () => {
  it("skips the weekend", () => {
    // Friday 10:00 in Hà Nội (03:00 UTC), 1 working day → Monday 17:00 local (10:00 UTC).
    expect(due(1, "2025-03-07T03:00:00Z")).toBe("2025-03-10T10:00:00.000Z")
    // Thursday + 3 → Friday, Monday, Tuesday.
    expect(due(3, "2025-03-06T03:00:00Z")).toBe("2025-03-11T10:00:00.000Z")
    // Monday + 5 → the next Monday.
    expect(due(5, "2025-03-03T02:00:00Z")).toBe("2025-03-10T10:00:00.000Z")
  })

  it("counts from the day after receipt, even when receipt falls on a day off", () => {
    // Saturday and Sunday receipts: the first working day counted is Monday.
    expect(due(1, "2025-03-08T03:00:00Z")).toBe("2025-03-10T10:00:00.000Z")
    expect(due(1, "2025-03-09T15:00:00Z")).toBe("2025-03-10T10:00:00.000Z")
    // Friday after office hours is still a Friday receipt.
    expect(due(1, "2025-03-07T12:00:00Z")).toBe("2025-03-10T10:00:00.000Z")
  })

  it("skips Tết 2025, whose weekdays are 27 to 31 January", () => {
    const weekdaysOff = tet2025.filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))
    expect(weekdaysOff).toEqual(["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"])
    for (const d of tet2025) expect(isWorkingDay(d, vietnam), d).toBe(false)
    expect(isWorkingDay("2025-01-24", vietnam)).toBe(true)
    expect(isWorkingDay("2025-02-03", vietnam)).toBe(true)
    // Friday 24 January (the last working day before Tết) + 1 → Monday 3 February.
    expect(due(1, "2025-01-24T03:00:00Z")).toBe("2025-02-03T10:00:00.000Z")
    // Thursday 23 January + 3 → 24 January, 3 and 4 February; without the holidays it would be 28 January.
    expect(due(3, "2025-01-23T03:00:00Z")).toBe("2025-02-04T10:00:00.000Z")
    expect(due(3, "2025-01-23T03:00:00Z", defaultCalendar)).toBe("2025-01-28T10:00:00.000Z")
    // Ten working days straddling Tết: 24 Jan, then 3–7 and 10–13 Feb.
    expect(due(10, "2025-01-23T03:00:00Z")).toBe("2025-02-13T10:00:00.000Z")
  })

  it("starts on a holiday as on any day off", () => {
    // Received on Mùng 1 Tết (Wednesday 29 January).
    expect(due(1, "2025-01-29T03:00:00Z")).toBe("2025-02-03T10:00:00.000Z")
    expect(due(2, "2025-01-29T03:00:00Z")).toBe("2025-02-04T10:00:00.000Z")
    expect(due(0, "2025-01-29T03:00:00Z")).toBe("2025-02-03T10:00:00.000Z")
    // 30/4 and 1/5 (Wednesday, Thursday) → Friday 2 May.
    expect(due(1, "2025-04-29T03:00:00Z")).toBe("2025-05-02T10:00:00.000Z")
  })

  it("crosses the year, skipping New Year's Day", () => {
    expect(due(1, "2025-12-31T03:00:00Z")).toBe("2026-01-02T10:00:00.000Z")
  })

  it("takes the day of receipt in the province's zone, not in UTC", () => {
    // 18:00 UTC Thursday is 01:00 Friday in Hà Nội.
    const from = "2025-03-06T18:00:00Z"
    expect(due(1, from)).toBe("2025-03-10T10:00:00.000Z") // Friday receipt → Monday 17:00 +07
    expect(due(1, from, { ...vietnam, timeZone: "UTC" })).toBe("2025-03-07T17:00:00.000Z") // Thursday receipt → Friday 17:00Z
    // 16:59:59 UTC Thursday is still Thursday 23:59:59 in Hà Nội.
    expect(due(1, "2025-03-06T16:59:59Z")).toBe("2025-03-07T10:00:00.000Z")
    expect(due(1, "2025-03-06T17:00:00Z")).toBe("2025-03-10T10:00:00.000Z")
  })

  it("falls at the local end of day across a daylight-saving change", () => {
    // Paris moves to summer time on Sunday 30 March 2025: Friday is +01:00, Monday +02:00.
    const paris: Calendar = { timeZone: "Europe/Paris" }
    expect(due(1, "2025-03-28T09:00:00Z", paris)).toBe("2025-03-31T15:00:00.000Z")
    expect(due(0, "2025-03-28T09:00:00Z", paris)).toBe("2025-03-28T16:00:00.000Z")
  })

  it("workingDays: 0 is the end of the day of receipt, never earlier than receipt", () => {
    expect(due(0, "2025-03-03T02:00:00Z")).toBe("2025-03-03T10:00:00.000Z") // Monday 09:00 → Monday 17:00
    expect(due(0, "2025-03-03T10:00:00Z")).toBe("2025-03-03T10:00:00.000Z") // exactly 17:00
    expect(due(0, "2025-03-03T11:00:00Z")).toBe("2025-03-04T10:00:00.000Z") // Monday 18:00 → Tuesday 17:00
    expect(due(0, "2025-03-07T11:00:00Z")).toBe("2025-03-10T10:00:00.000Z") // Friday 18:00 → Monday 17:00
    expect(due(0, "2025-03-08T03:00:00Z")).toBe("2025-03-10T10:00:00.000Z") // Saturday → Monday 17:00
  })

  it("respects the calendar's end of day", () => {
    expect(due(1, "2025-03-07T03:00:00Z", { ...vietnam, endOfDay: "16:30" })).toBe("2025-03-10T09:30:00.000Z")
    // 24:00 is the end of the calendar day (midnight after Monday, local).
    expect(due(1, "2025-03-07T03:00:00Z", { ...vietnam, endOfDay: "24:00" })).toBe("2025-03-10T17:00:00.000Z")
    expect(due(0, "2025-03-03T11:00:00Z", { ...vietnam, endOfDay: "24:00" })).toBe("2025-03-03T17:00:00.000Z")
  })

  it("honours other weekly days off", () => {
    // A six-day week with only Sunday off: Friday + 1 → Saturday.
    expect(due(1, "2025-03-07T03:00:00Z", { weekend: [0] })).toBe("2025-03-08T10:00:00.000Z")
  })

  it("always lands on a working day, later for every extra day", () => {
    let previous = 0
    for (let n = 0; n <= 40; n++) {
      const d = dueAt({ workingDays: n }, at("2025-01-20T03:00:00Z"), vietnam)
      const local = new Date(d.getTime() + 7 * 3_600_000)
      expect(local.getUTCHours()).toBe(17)
      expect(isWorkingDay(local.toISOString().slice(0, 10), vietnam)).toBe(true)
      expect(d.getTime()).toBeGreaterThan(previous)
      previous = d.getTime()
    }
  })
})

describe("calendars", () => {
  it("lists every problem, naming the bad value", () => {
    expect(calendarProblems(vietnam)).toEqual([])
    expect(calendarProblems({ timeZone: "Asia/Hanoi_City", weekend: [0, 7], holidays: ["2025-02-30", "30/04/2025"], endOfDay: "5pm" })).toEqual([
      'timeZone "Asia/Hanoi_City" is not an IANA time zone such as Asia/Ho_Chi_Minh',
      "weekend[1] must be a day 0 (Sunday) to 6 (Saturday), got 7",
      'holidays[0] "2025-02-30" is not a date YYYY-MM-DD',
      'holidays[1] "30/04/2025" is not a date YYYY-MM-DD',
      'endOfDay "5pm" is not a local time HH:MM (00:00 to 24:00)',
    ])
    expect(calendarProblems({ endOfDay: "24:30" })).toHaveLength(1)
    expect(calendarProblems({ weekend: [0, 1, 2, 3, 4, 5, 6] })).toEqual(["weekend covers all seven days: no day would be a working day"])
  })

  it("are checked when a workflow is defined", () => {
    const machine = setup({}).createMachine({ initial: "a", states: { a: { after: { wait: "b" } }, b: {} } })
    const define = (calendar: Calendar) =>
      defineWorkflow({ id: "cal", version: 1, machine, events: {}, permissions: {}, labels: { title: { vi: "t", en: "t" } }, deadlines: { wait: { label: { vi: "h", en: "d" }, duration: { workingDays: 1 } } }, calendar })
    expect(define(vietnam).calendar).toBe(vietnam)
    expect(() => define({ timeZone: "Hanoi" })).toThrow('calendar: timeZone "Hanoi" is not an IANA time zone')
  })

  it("refuses to compute a working-day deadline on a bad calendar", () => {
    expect(() => dueAt({ workingDays: 1 }, new Date(), { holidays: ["2025-13-01"] })).toThrow('bad calendar: holidays[0] "2025-13-01" is not a date')
    expect(() => isWorkingDay("2025-1-5")).toThrow('"2025-1-5" is not a date YYYY-MM-DD')
  })
})
