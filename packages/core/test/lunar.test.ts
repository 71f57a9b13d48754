import { createRequire } from "node:module"
import { describe, expect, it } from "vitest"
import { type LocalDate, lunarDateOf, solarDateOfLunar } from "@civicase/core"

// lunar-javascript computes China's calendar (UTC+8): a reference for the astronomy, not for Vietnam's dates.
const { Lunar, LunarYear, Solar } = createRequire(import.meta.url)("lunar-javascript") as any

const iso = (d: LocalDate | undefined) => (d ? `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}` : "none")
const tet = (year: number, offset?: number) => iso(solarDateOfLunar({ year, month: 1, day: 1, leap: false }, offset))
const hungKings = (year: number) => iso(solarDateOfLunar({ year, month: 3, day: 10, leap: false }))

describe("the Vietnamese lunar calendar (UTC+7)", () => {
  it("puts Tết 2025 to 2030 on the published first days", () => {
    // 2030 is one of the years Vietnam's Tết comes a day before China's (3 February): the new moon falls at 23:07 in Hà Nội.
    expect([2025, 2026, 2027, 2028, 2029, 2030].map((y) => tet(y))).toEqual(["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-02"])
    expect(tet(2030, 8)).toBe("2030-02-03")
  })

  it("puts the Hùng Kings' day (10/3 lunar) of 2025 to 2030 on its solar dates", () => {
    expect([2025, 2026, 2027, 2028, 2029, 2030].map(hungKings)).toEqual(["2025-04-07", "2026-04-26", "2027-04-16", "2028-04-04", "2029-04-23", "2030-04-12"])
  })

  it("differs from China's calendar where the meridian decides the day of a new moon", () => {
    // 1985: a month apart (the eleventh month and the leap month fell differently); 2007 and 1968: a day.
    expect([tet(1985), tet(1985, 8)]).toEqual(["1985-01-21", "1985-02-20"])
    expect([tet(2007), tet(2007, 8)]).toEqual(["2007-02-17", "2007-02-18"])
    expect([tet(1968), tet(1968, 8)]).toEqual(["1968-01-29", "1968-01-30"])
  })

  it("computed for UTC+8, agrees with lunar-javascript on every month start and leap month, 1950–2050", () => {
    const mismatches: string[] = []
    for (let year = 1950; year <= 2050; year++) {
      const leapMonth = LunarYear.fromYear(year).getLeapMonth() as number
      for (let month = 1; month <= 12; month++) {
        const mine = iso(solarDateOfLunar({ year, month, day: 1, leap: false }, 8))
        const theirs = Lunar.fromYmd(year, month, 1).getSolar().toYmd()
        if (mine !== theirs) mismatches.push(`${year}/${month}: ${mine} ≠ ${theirs}`)
        const leap = solarDateOfLunar({ year, month, day: 1, leap: true }, 8)
        if ((leap !== undefined) !== (month === leapMonth)) mismatches.push(`${year}/${month}: leap month ${leap ? "found" : "missing"}`)
        if (leap && iso(leap) !== Lunar.fromYmd(year, -month, 1).getSolar().toYmd()) mismatches.push(`${year}/leap ${month}: ${iso(leap)}`)
      }
    }
    expect(mismatches).toEqual([])
  })

  it("converts every day of 2020–2034 to its lunar date and back", () => {
    const mismatches: string[] = []
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2035, 0, 1); t += 86_400_000) {
      const d = new Date(t)
      const day = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
      const china = lunarDateOf(day, 8)
      const reference = Solar.fromYmd(day.year, day.month, day.day).getLunar()
      if (china.year !== reference.getYear() || (china.leap ? -china.month : china.month) !== reference.getMonth() || china.day !== reference.getDay()) {
        mismatches.push(`${iso(day)} (UTC+8)`)
      }
      if (iso(solarDateOfLunar(lunarDateOf(day))) !== iso(day)) mismatches.push(`${iso(day)} round trip`)
    }
    expect(mismatches).toEqual([])
    expect(lunarDateOf({ year: 2027, month: 2, day: 5 })).toEqual({ year: 2026, month: 12, day: 29, leap: false }) // the eve of Tết 2027
  })

  it("refuses dates that do not exist", () => {
    expect(solarDateOfLunar({ year: 2025, month: 6, day: 1, leap: true })).toBeDefined() // 2025 has a leap sixth month
    expect(solarDateOfLunar({ year: 2025, month: 5, day: 1, leap: true })).toBeUndefined()
    expect(solarDateOfLunar({ year: 2026, month: 12, day: 30, leap: false })).toBeUndefined() // a 29-day month
    expect(solarDateOfLunar({ year: 2025, month: 13, day: 1, leap: false })).toBeUndefined()
  })
})
