import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { calendarYear, isWorkingDay } from "@civicase/core"
import { loadProvince, provinceFiles, provinceWarnings } from "@civicase/workflows"
import { provinceIssues } from "./support.js"

const copy = (): any => JSON.parse(readFileSync(provinceFiles.vinhPhuc, "utf8"))

/** The calendar of the earlier Vĩnh Phúc file: holidays listed by hand up to 2026. */
const listedCalendar = {
  timeZone: "Asia/Ho_Chi_Minh",
  weekend: [0, 6],
  holidays: [
    ...["2025-01-01", "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02"],
    ...["2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02", "2026-01-01", "2026-02-14", "2026-02-15", "2026-02-16"],
    ...["2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02"],
  ],
  endOfDay: "17:00",
}

describe("province calendars and the basis of their numbers", () => {
  it("still loads a file of the earlier form (a plain holidays list, no basis) with the same working days", () => {
    const old = copy()
    old.calendar = listedCalendar
    delete old.basis
    const province = loadProvince(old)
    expect(province.calendar.holidays).toHaveLength(listedCalendar.holidays.length)
    for (const day of listedCalendar.holidays) expect(isWorkingDay(day, province.calendar), day).toBe(false)
    expect(isWorkingDay("2025-02-03", province.calendar)).toBe(true)
    // The shipped file's rules give the same days, but for the 2025 make-up Saturday the list could not say.
    const shipped = loadProvince(provinceFiles.vinhPhuc)
    for (const year of [2025, 2026]) {
      const list = calendarYear(province.calendar, year)
      const rules = calendarYear(shipped.calendar, year)
      expect(rules.daysOff.filter((d) => !list.daysOff.includes(d)), `${year}`).toEqual([])
      expect(list.daysOff.filter((d) => !rules.daysOff.includes(d)), `${year}`).toEqual([])
    }
    expect(calendarYear(shipped.calendar, 2025).workingWeekendDays).toEqual(["2025-04-26"])
  })

  it("refuses impossible rules, decision dates outside their year, and a basis citing no value of the file, each by path", () => {
    const bad = copy()
    bad.calendar.rules[0].solar = "02-30"
    bad.calendar.rules.push({ lunar: "03-10", solar: "04-10" })
    bad.calendar.years["2027"] = { daysOff: ["2026-12-31"], workingDays: ["2027-02-20", "2027-02-20"] }
    bad.calendar.years.next = {}
    bad.basis.sources["/workflows/plan/quorum"] = "Nowhere"
    const issues = provinceIssues(bad)
    // Each problem once: what the schema refuses is not repeated by the finer checks.
    expect(issues.map((i) => i.path).sort()).toEqual([
      "/basis/sources/~1workflows~1plan~1quorum",
      "/calendar/rules/0/solar",
      "/calendar/rules/6",
      "/calendar/years", // the key "next": must match a year, and so is no valid property name
      "/calendar/years",
      "/calendar/years/2027/daysOff/0",
      "/calendar/years/2027/workingDays",
    ])
    expect(issues.find((i) => i.path === "/calendar/rules/0/solar")!.message).toBe('"02-30" is not a day MM-DD')
    expect(issues.find((i) => i.path === "/calendar/years/2027/daysOff/0")!.message).toBe('"2026-12-31" is not in 2027')
    expect(issues.find((i) => i.path.startsWith("/basis"))!.message).toBe("names /workflows/plan/quorum, which is not a value of this file")
  })

  it("warns ahead of time of a coming year without its yearly decision, a year the calendar knows nothing of, and a file without a basis", () => {
    const shipped = loadProvince(provinceFiles.vinhPhuc)
    expect(provinceWarnings(shipped, { now: new Date("2025-06-01T00:00:00Z") })).toEqual([])
    expect(provinceWarnings(shipped, { now: new Date("2026-11-20T00:00:00Z") })).toEqual([
      {
        path: "/calendar/years",
        message:
          'no yearly decision data for 2027: deadlines reaching into 2027 are counted on the rules alone (Tết and National Day days, compensatory days) and flagged as provisional; add "2027" with its days off and make-up working days when the government decides them',
      },
    ])
    const old = copy()
    old.calendar = listedCalendar
    delete old.basis
    expect(provinceWarnings(loadProvince(old), { now: new Date("2026-11-20T00:00:00Z") }).map((w) => [w.path, w.message.slice(0, 40)])).toEqual([
      ["/calendar", "the calendar knows no holiday of 2027: d"],
      ["/basis", "the file does not say which numbers cite"],
    ])
  })
})
