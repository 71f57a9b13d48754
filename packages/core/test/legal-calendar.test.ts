import { describe, expect, it } from "vitest"
import { type Calendar, calendarGaps, calendarProblems, calendarYear, defaultCalendar, dueAt, dueDetails, isWorkingDay, vietnamPublicHolidays } from "@civicase/core"

/** Rules of the Labour Code, compensatory days, and the 2025 decision (the 2+3 Tết days, and 2 May swapped with Saturday 26 April). */
const vietnam: Calendar = {
  ...defaultCalendar,
  rules: vietnamPublicHolidays,
  compensation: "next-working-day",
  years: {
    "2025": { source: "lịch nghỉ 2025", daysOff: ["2025-01-27", "2025-05-02"], workingDays: ["2025-02-03", "2025-04-26"] },
    "2026": { source: "lịch nghỉ 2026" },
  },
}

/** The hand-typed list of the earlier province files (2025 and 2026). */
const listed: Calendar = {
  ...defaultCalendar,
  holidays: [
    ...["2025-01-01", "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02"],
    ...["2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02", "2026-01-01"],
    ...["2026-02-14", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22"],
    ...["2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02"],
  ],
}

const days = (from: string, to: string) => {
  const out: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}

describe("a legal calendar from rules", () => {
  it("gives Tết 2027 as the eve and four days, with two compensatory days for its Saturday and Sunday", () => {
    const y = calendarYear(vietnam, 2027)
    expect(y.knowledge).toBe("rules-only")
    expect(y.daysOff.filter((d) => d.startsWith("2027-02"))).toEqual(["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"])
    expect(days("2027-02-05", "2027-02-11").every((d) => !isWorkingDay(d, vietnam))).toBe(true)
    expect(isWorkingDay("2027-02-04", vietnam)).toBe(true)
    expect(isWorkingDay("2027-02-12", vietnam)).toBe(true)
    // Hùng Kings' day 2027 is a Friday; 30/4 a Friday, 1/5 a Saturday (compensated on Monday 3 May); 2/9 a Thursday.
    expect(y.daysOff).toEqual(["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-01", "2027-09-02"])
  })

  it("counts the plan created on 8 February 2027 (mùng 3 Tết) past Tết, and flags the year without its decision", () => {
    // Received on a day off: the first day counted is Friday 12 February; fifteen working days end Thursday 4 March.
    const due = dueDetails({ workingDays: 15 }, new Date("2027-02-08T02:00:00Z"), vietnam)
    expect(due.at.toISOString()).toBe("2027-03-04T10:00:00.000Z")
    expect(due.gaps).toEqual([{ year: 2027, reason: "no-yearly-decision" }])
    // The hand-typed list knew nothing of 2027 and counted Tết as working days.
    const old = dueDetails({ workingDays: 15 }, new Date("2027-02-08T02:00:00Z"), listed)
    expect(old.at.toISOString()).toBe("2027-03-01T10:00:00.000Z")
    expect(old.gaps).toEqual([{ year: 2027, reason: "beyond-calendar" }])
  })

  it("makes a Saturday a working day when the year's decision says so (ngày làm bù)", () => {
    expect(isWorkingDay("2025-04-26", vietnam)).toBe(true)
    expect(isWorkingDay("2025-05-02", vietnam)).toBe(false)
    expect(calendarYear(vietnam, 2025).workingWeekendDays).toEqual(["2025-04-26"])
    // Friday 25 April + 1 working day → Saturday 26 April, 17:00; + 2 → Monday 28; + 3 → Tuesday 29; + 4 → Monday 5 May.
    const from = new Date("2025-04-25T03:00:00Z")
    expect([1, 2, 3, 4].map((n) => dueAt({ workingDays: n }, from, vietnam).toISOString())).toEqual([
      "2025-04-26T10:00:00.000Z",
      "2025-04-28T10:00:00.000Z",
      "2025-04-29T10:00:00.000Z",
      "2025-05-05T10:00:00.000Z",
    ])
    expect(dueDetails({ workingDays: 3 }, from, vietnam).gaps).toEqual([])
  })

  it("means what the hand-typed 2025 and 2026 lists meant, day for day", () => {
    const differ = days("2025-01-01", "2026-12-31").filter((d) => isWorkingDay(d, vietnam) !== isWorkingDay(d, listed))
    // Only the 2025 swap the list could not say: Saturday 26 April was worked.
    expect(differ).toEqual(["2025-04-26"])
  })

  it("keeps a plain list meaning the same, and flags the years past it", () => {
    expect(isWorkingDay("2025-01-27", listed)).toBe(false)
    expect(calendarGaps(listed, { year: 2026, month: 12, day: 20 }, { year: 2027, month: 1, day: 10 })).toEqual([{ year: 2027, reason: "beyond-calendar" }])
    // A calendar that lists no holiday at all claims nothing: no flags.
    expect(dueDetails({ workingDays: 3 }, new Date("2031-01-06T02:00:00Z"), defaultCalendar).gaps).toEqual([])
    // Elapsed durations read no calendar.
    expect(dueDetails("P30D", new Date("2027-02-08T02:00:00Z"), vietnam).gaps).toEqual([])
  })

  it("knows the lunar rules only inside the checked years", () => {
    expect(calendarYear(vietnam, 2199).knowledge).toBe("rules-only")
    expect(calendarGaps(vietnam, { year: 2200, month: 1, day: 1 }, { year: 2200, month: 1, day: 1 })).toEqual([{ year: 2200, reason: "beyond-calendar" }])
  })

  it("counts calendar days as the Civil Code does: midnight after the last day, moved past days off", () => {
    // Received Monday 10 March 2025: day 90 is Sunday 8 June, so the period ends at midnight after Monday 9 June (Hà Nội).
    expect(dueAt({ calendarDays: 90 }, new Date("2025-03-10T03:00:00Z"), vietnam).toISOString()).toBe("2025-06-09T17:00:00.000Z")
    expect(dueAt({ calendarDays: 1 }, new Date("2025-03-10T03:00:00Z"), vietnam).toISOString()).toBe("2025-03-11T17:00:00.000Z")
    // Six days from Friday 24 April 2026 would end on the holiday 30 April: the period runs on to Monday 4 May.
    expect(dueAt({ calendarDays: 6 }, new Date("2026-04-24T03:00:00Z"), vietnam).toISOString()).toBe("2026-05-04T17:00:00.000Z")
  })

  it("lists every problem of rules and yearly decisions, naming the bad value", () => {
    expect(calendarProblems(vietnam)).toEqual([])
    expect(
      calendarProblems({
        rules: [{ solar: "02-30" }, { lunar: "13-01" }, { solar: "01-01", lunar: "01-01" }, { solar: "05-01", days: 0, offset: 1.5 }],
        compensation: "always" as never,
        years: { "2027": { daysOff: ["2026-12-31", "2027-02-12"], workingDays: ["2027-02-12", "2027-2-20"] }, next: {} },
      }),
    ).toEqual([
      'rules[0].solar "02-30" is not a day MM-DD',
      'rules[1].lunar "13-01" is not a lunar day MM-DD (month 01–12, day 01–30)',
      "rules[2] must give exactly one of solar or lunar",
      "rules[3].offset must be a whole number of days from -30 to 30, got 1.5",
      "rules[3].days must be a whole number from 1 to 30, got 0",
      'compensation must be "none" or "next-working-day", got "always"',
      'years.2027.daysOff[0] "2026-12-31" is not in 2027',
      'years.2027.workingDays[0] "2027-02-12" is also in years.2027.daysOff',
      'years.2027.workingDays[1] "2027-2-20" is not a date YYYY-MM-DD',
      "years.next: the key must be a year YYYY",
    ])
  })
})
