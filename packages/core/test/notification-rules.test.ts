import { describe, expect, it } from "vitest"
import { type Calendar, defaultCalendar, dueAt, isCivicaseError } from "@civicase/core"
import { notificationRules, notificationRulesProblems, reminderAt, reminderId, renderNotification } from "@civicase/core/notifications"

const vietnam: Calendar = { ...defaultCalendar, holidays: ["2025-04-30", "2025-05-01"] }

describe("notification rules file", () => {
  it("accepts a complete file", () => {
    const rules = notificationRules({
      baseUrl: "https://civicase.vinhphuc.gov.vn",
      rules: [
        { on: "reminder", before: { workingDays: 1 }, deadlines: ["factFinding"], to: ["assignee", { role: "agency_head", agency: "case" }] },
        { on: "reminder", id: "two-hours", before: "PT2H", to: ["assignee"] },
        { on: "missed", to: ["assignee", { role: "coordinator" }], channels: ["email"] },
        { on: "escalation", topics: ["press-response.escalated"], to: [{ role: "coordinator_head" }, { person: "u-17" }] },
        { on: "assigned", to: ["recipient"] },
        { on: "mention", to: ["recipient"], channels: ["live"] },
      ],
    })
    expect(rules.rules).toHaveLength(6)
  })

  it("names every problem by path, and refuses with InvalidConfigError", () => {
    const bad = {
      baseUrl: "ftp://x",
      rules: [
        { on: "reminder", to: ["assignee"] },
        { on: "reminder", before: "P1Y", to: ["assignee"] },
        { on: "missed", before: { workingDays: 1 }, to: ["recipient"] },
        { on: "escalation", to: [{ role: "coordinator" }] },
        { on: "assigned", to: [] },
        { on: "mention", to: [{ role: "x", colour: "red" }] },
      ],
    }
    const paths = notificationRulesProblems(bad).map((p) => p.path)
    expect(paths).toContain("/baseUrl")
    expect(paths).toContain("/rules/4/to")
    const semantic = notificationRulesProblems({ rules: bad.rules.slice(0, 4) })
    expect(semantic).toEqual([
      { path: "/rules/0", message: expect.stringContaining("a reminder needs \"before\"") },
      { path: "/rules/1/before", message: expect.stringContaining("P1Y") },
      { path: "/rules/2/before", message: "only a reminder has \"before\"" },
      { path: "/rules/2/to/0", message: expect.stringContaining("\"recipient\" is the person") },
      { path: "/rules/3", message: expect.stringContaining("an escalation needs \"topics\"") },
    ])
    expect(notificationRulesProblems({ rules: [{ on: "mention", id: "tell", to: ["recipient"] }, { on: "assigned", id: "tell", to: ["recipient"] }] })).toEqual([
      { path: "/rules/1/id", message: "rule id tell is used twice" },
    ])
    try {
      notificationRules({ rules: [{ on: "reminder", to: ["assignee"] }] }, "notifications.json")
      expect.unreachable()
    } catch (e) {
      expect(isCivicaseError(e) && e.code).toBe("CIVICASE_E_INVALID_CONFIG")
      expect((e as Error).message).toContain("notifications.json is invalid")
    }
  })
})

describe("reminder times", () => {
  it("goes back working days on the calendar, to the same wall time", () => {
    // Due Monday 10 March 2025, 17:00 in Hà Nội: one working day before is Friday 17:00.
    expect(reminderAt(new Date("2025-03-10T10:00:00Z"), { workingDays: 1 }, vietnam).toISOString()).toBe("2025-03-07T10:00:00.000Z")
    // Due Friday 2 May: 30 April and 1 May are holidays, so one working day before is Tuesday 29 April.
    expect(reminderAt(new Date("2025-05-02T10:00:00Z"), { workingDays: 1 }, vietnam).toISOString()).toBe("2025-04-29T10:00:00.000Z")
    expect(reminderAt(new Date("2025-05-02T10:00:00Z"), { workingDays: 2 }, vietnam).toISOString()).toBe("2025-04-28T10:00:00.000Z")
    // Elapsed time with an ISO duration.
    expect(reminderAt(new Date("2025-03-10T10:00:00Z"), "PT2H").toISOString()).toBe("2025-03-10T08:00:00.000Z")
  })

  it("reminds a working-day deadline at the end of the working day before", () => {
    const received = new Date("2025-03-03T02:00:00Z") // Monday 09:00
    const due = dueAt({ workingDays: 3 }, received, vietnam) // Thursday 17:00
    expect(reminderAt(due, { workingDays: 1 }, vietnam).toISOString()).toBe(dueAt({ workingDays: 2 }, received, vietnam).toISOString())
  })

  it("gives one reminder one stable id", () => {
    const a = reminderId("eve", "6f1c0000-0000-4000-8000-000000000000", "t1", "2025-03-05T10:00:00.000Z")
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(reminderId("eve", "6f1c0000-0000-4000-8000-000000000000", "t1", "2025-03-05T10:00:00.000Z")).toBe(a)
    expect(reminderId("eve", "6f1c0000-0000-4000-8000-000000000000", "t1", "2025-03-06T10:00:00.000Z")).not.toBe(a)
  })
})

describe("message text", () => {
  it("is Vietnamese first with English beside it and links the case", () => {
    const m = renderNotification({ kind: "missed", caseId: "c1", title: "Sạt lở Tam Đảo", recipientName: "Lê Văn Cường", caseUrl: "https://x/cases/c1", deadline: { vi: "Hạn xác minh", en: "Fact-finding deadline" } })
    expect(m.subject).toEqual({ vi: "Quá hạn: Hạn xác minh của hồ sơ “Sạt lở Tam Đảo”", en: "Deadline missed: Fact-finding deadline of case “Sạt lở Tam Đảo”" })
    expect(m.body.vi).toBe("Kính gửi Lê Văn Cường,\n\nHồ sơ “Sạt lở Tam Đảo” đã quá hạn (Hạn xác minh).\n\nXem hồ sơ: https://x/cases/c1")
    expect(m.body.en).toContain("Open the case: https://x/cases/c1")
  })
})
