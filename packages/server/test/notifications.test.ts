import { mkdtempSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Actor, type Engine, createEngine, silentLogger, testClock } from "@civicase/core"
import { type PeopleNotificationsPlugin, notificationRules, peopleNotifications } from "@civicase/core/notifications"
import { pglite } from "@civicase/adapters"
import { smtpChannel } from "@civicase/adapters/smtp"
import { loadProvince, provinceEngineOptions, provinceFiles } from "@civicase/workflows"
import { type ParsedMail, simpleParser } from "mailparser"
import { SMTPServer } from "smtp-server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

// Issue 10's scenario end to end on the engine API, with mail read back from a
// real SMTP server on loopback: a press-response case assigned, delegated,
// commented on with a document, found without diacritics, and reminded of one
// working day before its deadline on the test clock. Then a restart.
describe("notifications that reach people (SMTP, reminders, unrouted, restart)", () => {
  const province = loadProvince(provinceFiles.vinhPhuc)
  const mails: ParsedMail[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (m) => {
          mails.push(m)
          done()
        },
        (e: Error) => done(e),
      )
    },
  })
  const dir = mkdtempSync(join(tmpdir(), "civicase-notify-"))
  // Monday 3 March 2025, 09:00 in Hà Nội.
  const clock = testClock(new Date("2025-03-03T02:00:00.000Z"))
  const rules = notificationRules({
    baseUrl: "https://civicase.vinhphuc.example/",
    rules: [
      { on: "assigned", to: ["recipient"] },
      { on: "mention", to: ["recipient"] },
      { id: "fact-finding-eve", on: "reminder", before: { workingDays: 1 }, workflows: ["press-response"], deadlines: ["factFinding"], to: ["assignee"] },
    ],
  })
  let url = ""
  const open = (): { engine: Engine; notifications: PeopleNotificationsPlugin; close: () => Promise<void> } => {
    const email = smtpChannel({ url, from: "civicase@vinhphuc.example" })
    const notifications = peopleNotifications({ rules, channels: [email], calendar: province.calendar, workflows: provinceEngineOptions(province).workflows })
    const engine = createEngine({
      store: pglite({ dataDir: dir }),
      ...provinceEngineOptions(province, { plugins: [notifications] }),
      clock,
      scheduler: false,
      outbox: { enabled: false },
      logger: silentLogger,
    })
    return { engine, notifications, close: async () => (await engine.close(), email.close()) }
  }

  const actor = (id: string, agency: string, roles: string[]): Actor => ({ id, province: province.id, agency, roles })
  const coordinator = actor("coord-1", "so-tttt", ["coordinator"])
  const reporter = actor("reporter-1", "so-khdt", ["agency_officer"])
  const head = actor("pham.head", "so-khdt", ["agency_head"])
  const officerB = actor("tran.thi.b", "so-khdt", ["agency_officer"])
  const officerC = actor("le.van.c", "so-khdt", ["agency_officer"])

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve))
    url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
    rmSync(dir, { recursive: true, force: true })
  })

  const mailTo = (address: string) => mails.filter((m) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).some((t) => t.value.some((v) => v.address === address)))

  it("assigns, delegates, comments with a document, finds without diacritics, reminds one working day before, and never sends twice", async () => {
    const first = open()
    const { engine } = first
    await engine.start()
    for (const p of [
      { id: "pham.head", agency: "so-khdt", name: "Phạm Văn Hải", email: "hai@khdt.vinhphuc.example", roles: ["agency_head"] },
      { id: "tran.thi.b", agency: "so-khdt", name: "Trần Thị Bình", email: "binh@khdt.vinhphuc.example", roles: ["agency_officer"] },
      { id: "le.van.c", agency: "so-khdt", name: "Lê Văn Cường", email: "cuong@khdt.vinhphuc.example", roles: ["agency_officer"] },
      { id: "vo.no.mail", agency: "so-khdt", name: "Võ Văn Dũng", roles: ["agency_officer"] },
    ]) {
      await engine.people.upsert(p, coordinator)
    }

    const c = await engine.createCase(
      "press-response",
      { kind: "false_information", summary: "Tin sai về sạt lở đất ở Tam Đảo", source: "https://example.com/bai-viet", suspectedSeverity: "medium" },
      reporter,
    )
    await engine.send(c.id, { type: "TRIAGE", payload: { severity: "medium", category: "false_information", responsibleAgency: "so-khdt", rationale: "Lan truyền nhanh" } }, coordinator)
    // factFinding: 2 working days from Monday → Wednesday 5 March, 17:00 in Hà Nội.
    expect((await engine.getCase(c.id, coordinator)).deadlines.find((d) => d.name === "factFinding")?.dueAt).toBe("2025-03-05T10:00:00.000Z")

    expect((await engine.assign(c.id, { assignee: "tran.thi.b", note: "Chị Bình xác minh" }, head)).assignee).toMatchObject({ id: "tran.thi.b" })
    expect((await engine.assign(c.id, { assignee: "le.van.c" }, officerB)).assignee).toMatchObject({ id: "le.van.c" })
    const doc = await engine.attachDocument(c.id, { name: "bien-ban-xac-minh.txt", mediaType: "text/plain", bytes: new TextEncoder().encode("Biên bản xác minh") }, officerC)
    await engine.comment(c.id, { text: `@tran.thi.b chị xem biên bản ${doc.id}`, mentions: ["vo.no.mail"] }, officerC)
    const found = await engine.listCases({ q: "sat lo tam dao" }, officerC)
    expect(found.items.map((i) => i.id)).toEqual([c.id])

    // The assignments and the mention go out by mail; the mention of a person without an address is left unrouted.
    const sent = await engine.outbox.dispatch()
    expect(sent.delivered).toBe(3)
    const link = `https://civicase.vinhphuc.example/cases/${c.id}`
    const [assignedB] = mailTo("binh@khdt.vinhphuc.example").filter((m) => m.subject?.startsWith("Phân công"))
    expect(assignedB?.subject).toBe("Phân công: bạn được giao hồ sơ “Tin sai về sạt lở đất ở Tam Đảo” | Assigned: you were given case “Tin sai về sạt lở đất ở Tam Đảo”")
    expect(assignedB?.text).toContain("Kính gửi Trần Thị Bình")
    expect(assignedB?.text).toContain("Chị Bình xác minh")
    expect(assignedB?.text).toContain(`Xem hồ sơ: ${link}`)
    expect(assignedB?.text).toContain(`Open the case: ${link}`)
    expect(assignedB!.text!.indexOf("Kính gửi")).toBeLessThan(assignedB!.text!.indexOf("Dear"))
    expect(mailTo("cuong@khdt.vinhphuc.example").map((m) => m.subject?.split(" | ")[1])).toEqual(["Assigned: you were given case “Tin sai về sạt lở đất ở Tam Đảo”"])
    const [mention] = mailTo("binh@khdt.vinhphuc.example").filter((m) => m.subject?.includes("nhắc đến"))
    expect(mention?.text).toContain(doc.id)
    const unrouted = (await engine.outbox.list({ status: "unrouted" })).items
    expect(unrouted.filter((r) => r.topic === "notify.mention").map((r) => (r.payload as { recipient: string }).recipient)).toEqual(["vo.no.mail"])
    expect((await engine.outbox.stats()).unrouted).toBe(unrouted.length)
    const before = mails.length

    // A second case leaves fact-finding before its reminder: no reminder for a deadline that no longer applies.
    const other = await engine.createCase("press-response", { kind: "false_information", summary: "Tin đồn khác", suspectedSeverity: "medium" }, reporter)
    await engine.send(other.id, { type: "TRIAGE", payload: { severity: "medium", category: "false_information", responsibleAgency: "so-khdt", rationale: "r" } }, coordinator)
    await engine.assign(other.id, { assignee: "tran.thi.b" }, head)
    await engine.send(other.id, { type: "RECORD_FACTS", payload: { findings: "Đã xác minh", sources: ["Công văn 1"] } }, officerB)
    await engine.outbox.dispatch()
    const afterOther = mails.length

    // Tuesday 16:59: not yet. Tuesday 17:00, one working day before Wednesday 17:00: the reminder.
    clock.set(new Date("2025-03-04T09:59:00.000Z"))
    expect(await first.notifications.runDueReminders()).toBe(0)
    clock.set(new Date("2025-03-04T10:00:00.000Z"))
    // The engine's own reminder loop wakes on the clock jump too; whichever writes first, there is one row.
    expect(await first.notifications.runDueReminders()).toBeLessThanOrEqual(1)
    expect(await first.notifications.runDueReminders()).toBe(0)
    expect((await engine.outbox.list({ topic: "notify.reminder" })).items.map((r) => r.caseId)).toEqual([c.id])
    expect((await engine.outbox.dispatch()).delivered).toBe(1)
    const reminders = mails.slice(afterOther)
    expect(reminders).toHaveLength(1)
    const [reminder] = reminders
    expect(reminder!.to).toMatchObject({ value: [{ address: "cuong@khdt.vinhphuc.example" }] })
    expect(reminder!.subject).toMatch(/^Nhắc hạn: .+ của hồ sơ “Tin sai về sạt lở đất ở Tam Đảo” đến 17:00 05\/03\/2025 \| Reminder: Fact-finding deadline of case .+ is due 05\/03\/2025, 17:00 \(Asia\/Ho_Chi_Minh\)$/)
    expect(reminder!.text).toContain(`Xem hồ sơ: ${link}`)
    expect(reminder!.text).toContain("Dear Lê Văn Cường")
    expect(afterOther).toBeGreaterThan(before)
    await first.close()

    // Restart on the same database, later the same day: nothing is written or sent again.
    const second = open()
    await second.engine.start()
    clock.set(new Date("2025-03-04T11:00:00.000Z"))
    expect(await second.notifications.runDueReminders()).toBe(0)
    expect(await second.engine.outbox.dispatch()).toEqual({ delivered: 0, retried: 0, failed: 0, unrouted: 0 })
    expect(mails.slice(afterOther)).toHaveLength(1)
    expect((await second.engine.outbox.list({ topic: "notify.reminder" })).items.map((r) => [r.caseId, r.status])).toEqual([[c.id, "delivered"]])
    await second.close()
  })
  it("tells the coordinators of a missed deadline and of the escalation it caused, in the transition's statement", async () => {
    const clock2 = testClock(new Date("2025-03-03T02:00:00.000Z"))
    const email = smtpChannel({ url, from: "civicase@vinhphuc.example" })
    const notifications = peopleNotifications({
      rules: notificationRules({
        baseUrl: "https://civicase.vinhphuc.example",
        rules: [
          { on: "missed", workflows: ["press-response"], deadlines: ["triage"], to: [{ role: "coordinator" }] },
          { on: "escalation", topics: ["press-response.escalated"], to: [{ role: "coordinator_head" }] },
        ],
      }),
      channels: [email],
      calendar: province.calendar,
      workflows: provinceEngineOptions(province).workflows,
    })
    const engine = createEngine({ store: pglite(), ...provinceEngineOptions(province, { plugins: [notifications] }), clock: clock2, scheduler: false, outbox: { enabled: false }, logger: silentLogger })
    await engine.start()
    try {
      await engine.people.upsert({ id: "coord-1", agency: "so-tttt", name: "Đỗ Minh Khoa", email: "khoa@tttt.vinhphuc.example", roles: ["coordinator"] }, coordinator)
      await engine.people.upsert({ id: "head-1", agency: "so-tttt", name: "Bùi Thu Hà", email: "ha@tttt.vinhphuc.example", roles: ["coordinator_head"] }, coordinator)
      // The coordinator is told of the miss; the coordinator_head, of the escalation it caused.
      const c = await engine.createCase("press-response", { kind: "false_information", summary: "Tin đồn chưa phân loại", suspectedSeverity: "medium" }, reporter)
      expect(await engine.runDueTimers()).toBe(0)
      clock2.set(new Date("2025-03-03T10:01:00.000Z")) // triage (PT8H) fell at 17:00 Hà Nội
      expect(await engine.runDueTimers()).toBe(1)
      const topics = (await engine.outbox.list({ caseId: c.id })).items.map((r) => r.topic).sort()
      expect(topics).toEqual(["notify.deadline_missed", "press-response.escalated"])
      const start = mails.length
      expect(await engine.outbox.dispatch()).toMatchObject({ delivered: 2, unrouted: 0 })
      const got = mails.slice(start)
      const khoa = got.filter((m) => m.text?.includes("Đỗ Minh Khoa")).map((m) => m.subject)
      expect(khoa).toEqual([expect.stringMatching(/^Quá hạn: .+ của hồ sơ “Tin đồn chưa phân loại” \| Deadline missed: .+ of case “Tin đồn chưa phân loại”$/)])
      const ha = got.filter((m) => m.text?.includes("Bùi Thu Hà")).map((m) => m.subject)
      expect(ha).toEqual(["Chuyển cấp: hồ sơ “Tin đồn chưa phân loại” | Escalated: case “Tin đồn chưa phân loại”"])
    } finally {
      await engine.close()
      email.close()
    }
  })
  it("retries a mail the SMTP server refuses, and keeps the password out of the outbox's last error", async () => {
    const refusing = new SMTPServer({
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (auth, _session, done) => done(null, { user: auth.username }),
      onRcptTo: (_address, _session, done) => done(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 })),
    })
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve))
    const port = (refusing.server.address() as AddressInfo).port
    const email = smtpChannel({ url: `smtp://civicase:Hush-4242@127.0.0.1:${port}`, from: "civicase@vinhphuc.example" })
    const notifications = peopleNotifications({ rules: notificationRules({ rules: [{ on: "assigned", to: ["recipient"] }] }), channels: [email] })
    const engine = createEngine({ store: pglite(), ...provinceEngineOptions(province, { plugins: [notifications] }), clock: testClock(), scheduler: false, outbox: { enabled: false }, logger: silentLogger })
    await engine.start()
    try {
      await engine.people.upsert({ id: "tran.thi.b", agency: "so-khdt", name: "Trần Thị Bình", email: "binh@khdt.vinhphuc.example", roles: ["agency_officer"] }, coordinator)
      const c = await engine.createCase("press-response", { kind: "false_information", summary: "Tin sai", suspectedSeverity: "medium" }, reporter)
      await engine.send(c.id, { type: "TRIAGE", payload: { severity: "medium", category: "false_information", responsibleAgency: "so-khdt", rationale: "r" } }, coordinator)
      await engine.assign(c.id, { assignee: "tran.thi.b" }, head)
      expect(await engine.outbox.dispatch()).toMatchObject({ delivered: 0, retried: 1 })
      const [row] = (await engine.outbox.list({ topic: "notify.assigned" })).items
      expect(row).toMatchObject({ status: "pending", attempts: 1 })
      expect(row!.lastError).toMatch(/^notifications: smtp 127\.0\.0\.1: .*mailbox unavailable/)
      expect(row!.lastError).not.toContain("Hush-4242")
    } finally {
      await engine.close()
      email.close()
      await new Promise<void>((resolve) => refusing.close(() => resolve()))
    }
  })
})
