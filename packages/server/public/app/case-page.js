/* global CSS, FormData, URL, clearTimeout, document, setTimeout */
// The case page: state on the workflow's states, deadlines with time left, history with actors,
// documents, comments, and a button with a generated form for each event the person may send now.
// It re-reads the case when the live feed says someone else acted.
import { ApiError, api, download, session } from "./api.js"
import { $, announce, bilingual, el, timeLeft, vien, when } from "./dom.js"
import { eventDefinition, eventLabel, stateLabel, workflowDetail, workflows } from "./labels.js"
import { onLive, watchCase } from "./live.js"
import { eventForm } from "./event-form.js"
import { subject } from "./worklist.js"

const page = { id: undefined, case: undefined, form: undefined, formEvent: undefined, reloading: undefined }

const section = (id, vi, en, ...children) => el("section", { className: "part", id, "aria-labelledby": `${id}-h` }, el("h3", { id: `${id}-h` }, ...vien(vi, en)), ...children)
const message = (id) => el("p", { className: "message", id, role: "status" })
const say = (node, text, bad) => {
  node.textContent = text
  node.classList.toggle("error", Boolean(bad))
}
const refusal = (e) => (e instanceof ApiError && e.problem.errors?.length ? `${e.message}: ${e.problem.errors.map((x) => `${x.path} ${x.message}`).join("; ")}` : e.message)

function actorName(actor) {
  if (!actor) return "—"
  const who = actor.name || actor.id
  return actor.agency ? `${who} (${actor.agency})` : who
}

async function statesPart(c) {
  const part = section("case-states", "Sơ đồ trạng thái", "Workflow states")
  try {
    const detail = await workflowDetail(c.workflow, c.version)
    const current = new Set(String(c.state).split(","))
    const inCurrent = (id) => [...current].some((s) => s === id || s.startsWith(`${id}.`))
    part.append(
      el("ol", { className: "states" }, ...detail.states.filter((s) => s.id).map((s) => {
        const here = current.has(s.id)
        return el("li", { className: here ? "current" : inCurrent(s.id) ? "parent" : s.final ? "final" : "", "aria-current": here ? "step" : undefined }, ...bilingual(s.label, s.id), here ? el("span", { className: "you-are-here" }, " ◀ hiện tại / current") : undefined)
      })),
      el("details", {}, el("summary", {}, ...vien("Sơ đồ Mermaid", "Mermaid diagram")), el("pre", {}, detail.diagram || "")),
    )
  } catch (e) {
    part.append(el("p", { className: "error" }, `Không tải được quy trình / cannot read the workflow: ${e.message}`))
  }
  return part
}

function deadlinesPart(c) {
  const items = c.deadlines.map((d) => {
    const left = timeLeft(d.dueAt)
    return el("li", {}, el("strong", {}, ...bilingual(d.label, d.name)), ` ${when(d.dueAt)} · `, el("span", { className: left.overdue ? "overdue" : "left" }, `${left.vi} / ${left.en}`), d.calendarGaps ? el("span", { className: "en" }, "tạm tính / provisional") : undefined)
  })
  return section("case-deadlines", "Thời hạn", "Deadlines", items.length ? el("ul", {}, ...items) : el("p", { className: "muted" }, ...vien("Không có thời hạn đang chạy.", "No running deadline.")))
}

function actionsPart(c) {
  const part = section("case-actions", "Thao tác", "Actions")
  const buttons = el("div", { className: "event-buttons" })
  const slot = el("div", { className: "form-slot" })
  for (const type of c.allowedEvents) {
    const definition = eventDefinition(c.workflow, c.version, type) || { type, schema: {} }
    const label = definition.label || eventLabel(c.workflow, type)
    buttons.append(el("button", { type: "button", dataset: { event: type }, "aria-expanded": String(page.formEvent === type), onclick: () => openForm({ ...definition, label }, slot) }, ...bilingual(label, type)))
  }
  if (!c.allowedEvents.length) buttons.append(el("p", { className: "muted" }, ...vien("Bạn không có thao tác nào lúc này.", "Nothing for you to do now.")))
  // Keep a half-filled form across a live update while its event is still allowed.
  if (page.form && c.allowedEvents.includes(page.formEvent)) slot.append(page.form)
  else Object.assign(page, { form: undefined, formEvent: undefined })
  part.append(buttons, slot, assignmentPart(c))
  return part
}

function openForm(definition, slot) {
  const form = eventForm(() => page.case, definition, {
    onSent: (updated) => {
      Object.assign(page, { form: undefined, formEvent: undefined })
      announce(`Đã gửi ${definition.label?.vi || definition.type} / ${definition.label?.en || definition.type} sent`)
      render(updated)
    },
    onCancel: () => {
      Object.assign(page, { form: undefined, formEvent: undefined })
      slot.replaceChildren()
      document.querySelector(`#case-actions button[data-event="${CSS.escape(definition.type)}"]`)?.focus()
    },
  })
  Object.assign(page, { form, formEvent: definition.type })
  slot.replaceChildren(form)
  for (const b of document.querySelectorAll("#case-actions .event-buttons button")) b.setAttribute("aria-expanded", String(b.dataset.event === definition.type))
  form.querySelector("input, select, textarea, button")?.focus()
}

function assignmentPart(c) {
  const out = message("assign-message")
  const mine = c.assignee && c.assignee.id === session.claims?.sub
  const act = async (assignee, done) => {
    try {
      render(await api(`/v1/cases/${c.id}/assignment`, { body: { assignee, expectedRev: c.rev } }))
      announce(done)
    } catch (e) {
      say($("#assign-message") || out, `Không thực hiện được / refused: ${refusal(e)}`, true)
    }
  }
  const assign = c.status === "done" ? undefined : assignForm(c, act)
  return el(
    "div",
    { className: "assignment" },
    el("p", {}, ...vien("Người xử lý:", "Assignee:"), " ", c.assignee ? `${c.assignee.name || c.assignee.id}` : "— chưa phân công / unassigned"),
    !c.assignee && c.status !== "done" && c.allowedEvents.length ? el("button", { type: "button", id: "claim", onclick: () => act("me", "Đã nhận xử lý / claimed") }, ...vien("Nhận xử lý", "Claim")) : undefined,
    mine ? el("button", { type: "button", id: "release", className: "secondary", onclick: () => act(null, "Đã trả lại / released") }, ...vien("Trả lại", "Release")) : undefined,
    assign,
    out,
  )
}

/** "Giao cho / Assign to": the active people of the province; the server says whether this person may assign. */
function assignForm(c, act) {
  const select = el("select", { id: "assign-to", name: "assignee", required: true }, el("option", { value: "" }, "— chọn người / choose a person —"))
  api("/v1/people?active=true&limit=500")
    .then(({ items }) => select.append(...items.filter((p) => p.id !== c.assignee?.id).map((p) => el("option", { value: p.id }, `${p.name} (${p.agency})`))))
    .catch(() => select.append(el("option", { value: "", disabled: true }, "không tải được danh sách / cannot list people")))
  const form = el("form", { id: "assign", className: "inline-form" }, el("label", { for: "assign-to" }, ...vien("Giao cho", "Assign to")), select, el("button", { type: "submit" }, ...vien("Giao", "Assign")))
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    if (select.value) act(select.value, `Đã giao cho ${select.selectedOptions[0].textContent} / assigned`)
  })
  return form
}

function historyPart(c, history) {
  const items = history.map((h) =>
    el(
      "li",
      { dataset: { rev: String(h.rev) } },
      el("span", { className: "time" }, when(h.at)),
      el("div", {}, el("strong", {}, ...bilingual(eventLabel(c.workflow, h.type), h.type)), el("span", { className: "id" }, ` r${h.rev}`)),
      el("div", { className: "actor" }, ...vien("bởi", "by"), ` ${actorName(h.actor)}`),
      h.from !== h.to ? el("div", { className: "move" }, `${stateLabel(c.workflow, h.from)?.vi ?? "∅"} → ${stateLabel(c.workflow, h.to)?.vi ?? "∅"}`) : undefined,
    ),
  )
  const out = message("verify-message")
  const verify = el("button", { type: "button", id: "verify", className: "secondary", onclick: async () => {
    try {
      const r = await api(`/v1/cases/${c.id}/verify`)
      say(out, r.ok ? `Chuỗi băm toàn vẹn, ${r.checked} bản ghi / hash chain intact, ${r.checked} rows` : `Chuỗi băm hỏng từ r${r.firstBadRev} / hash chain broken at r${r.firstBadRev}`, !r.ok)
    } catch (e) {
      say(out, `Không kiểm tra được / cannot verify: ${refusal(e)}`, true)
    }
  } }, ...vien("Kiểm tra toàn vẹn", "Verify history"))
  return section("case-history", "Lịch sử", "History", el("ol", { className: "timeline" }, ...items), el("p", {}, verify), out)
}

function documentsPart(c, documents) {
  const out = message("upload-message")
  const list = el("ul", { className: "documents" }, ...documents.map((d) =>
    el("li", { dataset: { id: d.id } }, el("button", { type: "button", className: "link", onclick: async () => {
      try {
        const blob = await download(`/v1/cases/${c.id}/documents/${d.id}`)
        const url = URL.createObjectURL(blob)
        const a = el("a", { href: url, download: d.name })
        document.body.append(a)
        a.click()
        a.remove()
        setTimeout(() => URL.revokeObjectURL(url), 10000)
      } catch (e) {
        say(out, `Không tải xuống được / cannot download: ${e.message}`, true)
      }
    } }, d.name), el("span", { className: "en" }, `${Math.ceil(d.size / 1024)} KiB · ${when(d.createdAt)} · ${d.createdBy}`)),
  ))
  const form = el(
    "form",
    { id: "upload", className: "inline-form" },
    el("label", {}, ...vien("Tệp", "File"), " ", el("input", { type: "file", name: "file", required: true })),
    el("label", {}, ...vien("Ghi chú", "Note"), " ", el("input", { name: "note", maxlength: 2000, autocomplete: "off" })),
    el("button", { type: "submit" }, ...vien("Tải lên", "Upload")),
  )
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const file = form.elements.file.files[0]
    if (!file) return say(out, "Chọn một tệp / choose a file", true)
    const body = new FormData()
    if (form.elements.note.value.trim()) body.append("note", form.elements.note.value.trim())
    body.append("file", file, file.name)
    try {
      const d = await api(`/v1/cases/${c.id}/documents`, { body })
      announce(`Đã tải lên ${d.name} / uploaded ${d.name}`)
      await reload()
    } catch (e) {
      say($("#upload-message"), `Không tải lên được / upload refused: ${refusal(e)}`, true)
    }
  })
  return section("case-documents", "Tài liệu", "Documents", documents.length ? list : el("p", { className: "muted" }, ...vien("Chưa có tài liệu.", "No documents yet.")), c.status === "done" ? undefined : form, out)
}

function commentsPart(c, comments) {
  const out = message("comment-message")
  const form = el(
    "form",
    { id: "comment", className: "stack-form" },
    el("label", { for: "comment-text" }, ...vien("Ý kiến mới", "New comment")),
    el("textarea", { id: "comment-text", name: "text", rows: 3, maxlength: 10000, required: true }),
    el("button", { type: "submit" }, ...vien("Gửi ý kiến", "Post comment")),
  )
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const text = form.elements.text.value.trim()
    if (!text) return say(out, "Nhập nội dung / write something", true)
    try {
      await api(`/v1/cases/${c.id}/comments`, { body: { text } })
      announce("Đã gửi ý kiến / comment posted")
      await reload()
    } catch (e) {
      say($("#comment-message"), `Không gửi được / refused: ${refusal(e)}`, true)
    }
  })
  const list = el("ol", { className: "comments" }, ...comments.map((m) => el("li", {}, el("div", { className: "meta" }, `${actorName(m.author)} · ${when(m.at)}`), el("p", {}, m.text))))
  return section("case-comments", "Ý kiến", "Comments", comments.length ? list : el("p", { className: "muted" }, ...vien("Chưa có ý kiến.", "No comments yet.")), form, out)
}

async function render(c, focus = false) {
  page.case = c
  const [history, documents, comments] = await Promise.all([
    api(`/v1/cases/${c.id}/history`).then((r) => r.items).catch(() => []),
    api(`/v1/cases/${c.id}/documents`).then((r) => r.items).catch(() => []),
    api(`/v1/cases/${c.id}/comments?limit=500`).then((r) => r.items).catch(() => []),
  ])
  if (page.id !== c.id) return
  const w = workflows.get(c.workflow)
  const root = $("#case")
  root.dataset.id = c.id
  root.dataset.rev = String(c.rev)
  root.replaceChildren(
    el("p", {}, el("a", { href: "#/work" }, "← ", ...vien("Việc của tôi", "My work"))),
    el("h2", { id: "case-title", tabindex: "-1" }, subject(c) || c.id.slice(0, 8), el("span", { className: "id" }, c.id)),
    el(
      "dl",
      { className: "facts" },
      el("dt", {}, ...vien("Quy trình", "Workflow")), el("dd", {}, ...bilingual(w?.title, c.workflow), el("span", { className: "en" }, `v${c.version}`)),
      el("dt", {}, ...vien("Trạng thái", "State")), el("dd", { id: "case-state" }, ...bilingual(stateLabel(c.workflow, c.state), c.state), c.status === "done" ? el("span", { className: "en" }, "đã kết thúc / done") : undefined),
      el("dt", {}, ...vien("Phiên bản", "Revision")), el("dd", {}, `r${c.rev} · ${when(c.updatedAt)}`),
    ),
    el("div", { className: "case-grid" }, actionsPart(c), deadlinesPart(c), await statesPart(c), historyPart(c, history), documentsPart(c, documents), commentsPart(c, comments)),
  )
  if (focus) $("#case-title").focus()
}

async function reload() {
  const c = await api(`/v1/cases/${page.id}`)
  await render(c)
}

/** Shows case `id` (or a message when it cannot be read). */
export async function openCase(id) {
  Object.assign(page, { id, case: undefined, form: undefined, formEvent: undefined })
  watchCase(id)
  $("#case").replaceChildren(el("p", { className: "muted" }, ...vien("Đang tải…", "Loading…")))
  try {
    await render(await api(`/v1/cases/${id}`), true)
  } catch (e) {
    $("#case").replaceChildren(el("p", {}, el("a", { href: "#/work" }, "← ", ...vien("Việc của tôi", "My work"))), el("h2", { id: "case-title", tabindex: "-1" }, ...vien("Không mở được hồ sơ", "Cannot open the case")), el("p", { className: "error" }, e.message))
  }
}

export function closeCase() {
  page.id = undefined
  watchCase(undefined)
}

export function startCasePage() {
  onLive((m) => {
    if (m.type !== "transition" || m.caseId !== page.id || !page.case || m.rev <= page.case.rev) return
    // Someone else acted: read the case again (once for a burst of transitions) and say so.
    clearTimeout(page.reloading)
    page.reloading = setTimeout(async () => {
      try {
        await reload()
        announce(`Hồ sơ vừa được cập nhật: ${eventLabel(page.case.workflow, m.event)?.vi ?? m.event} / the case was just updated`)
        $("#case").classList.add("flash")
        setTimeout(() => $("#case").classList.remove("flash"), 1500)
      } catch {
        // the case may have left what this person sees; the next action will say so
      }
    }, 150)
  })
}
