// A form for one event, generated from the event's JSON Schema (GET /v1/workflows). The server checks the
// payload; a refusal's `errors: [{ path, message }]` are shown beside the fields their JSON pointers name.
import { ApiError, api } from "./api.js"
import { $, bilingual, el, vien } from "./dom.js"
import { fieldLabel } from "./labels.js"

let serial = 0

const pointer = (name) => `/${String(name).replace(/~/g, "~0").replace(/\//g, "~1")}`

/** One input for one property: returns the wrapper and a reader giving the value (undefined when empty). */
function field(name, schema, required) {
  const id = `f${++serial}`
  const label = fieldLabel(name, schema)
  const describedBy = []
  const wrapper = el("div", { className: "field", dataset: { path: pointer(name) } })
  const caption = el("span", { className: "label" }, ...bilingual(label, name), required ? el("span", { className: "required", "aria-hidden": "true" }, " *") : undefined)
  const help = schema.description ? el("span", { className: "help", id: `${id}-help` }, schema.description) : undefined
  if (help) describedBy.push(`${id}-help`)
  const error = el("span", { className: "field-error", id: `${id}-error`, hidden: true })
  describedBy.push(`${id}-error`)
  const common = { id, name, "aria-describedby": describedBy.join(" "), required: required || undefined }
  let input
  let read
  const items = schema.items || {}
  if (schema.type === "array" && Array.isArray(items.enum)) {
    const boxes = items.enum.map((value) => el("label", { className: "choice" }, el("input", { type: "checkbox", value: String(value) }), ` ${value}`))
    input = el("fieldset", { id, "aria-describedby": describedBy.join(" ") }, el("legend", {}, caption), ...boxes)
    read = () => {
      const values = boxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => b.value)
      return values.length ? values : undefined
    }
    wrapper.append(input, help, error)
  } else {
    if (Array.isArray(schema.enum)) {
      input = el("select", common, el("option", { value: "" }, required ? "— chọn / choose —" : "—"), ...schema.enum.map((v) => el("option", { value: String(v) }, String(v))))
      read = () => (input.value === "" ? undefined : schema.enum.find((v) => String(v) === input.value))
    } else if (schema.type === "boolean") {
      input = el("input", { ...common, type: "checkbox", required: undefined })
      read = () => input.checked
    } else if (schema.type === "integer" || schema.type === "number") {
      input = el("input", { ...common, type: "number", step: schema.type === "integer" ? "1" : "any", min: schema.minimum, max: schema.maximum })
      read = () => (input.value === "" ? undefined : Number(input.value))
    } else if (schema.type === "array") {
      input = el("textarea", { ...common, rows: 3 })
      describedBy.push(`${id}-lines`)
      input.setAttribute("aria-describedby", describedBy.join(" "))
      help?.after(el("span", { className: "help", id: `${id}-lines` }, "mỗi dòng một mục / one item per line"))
      read = () => {
        const lines = input.value.split("\n").map((l) => l.trim()).filter(Boolean)
        return lines.length ? lines : undefined
      }
    } else if (schema.type === "object" || (!schema.type && !schema.enum)) {
      input = el("textarea", { ...common, rows: 3, placeholder: "JSON" })
      read = () => (input.value.trim() === "" ? undefined : JSON.parse(input.value))
    } else if (schema.format === "date-time") {
      input = el("input", { ...common, type: "datetime-local" })
      read = () => (input.value === "" ? undefined : new Date(input.value).toISOString())
    } else if (schema.format === "date") {
      input = el("input", { ...common, type: "date" })
      read = () => (input.value === "" ? undefined : input.value)
    } else {
      const long = !schema.maxLength || schema.maxLength > 300
      input = el(long ? "textarea" : "input", { ...common, rows: long ? 3 : undefined, maxlength: schema.maxLength, type: long ? undefined : schema.format === "uri" ? "url" : "text" })
      read = () => (input.value.trim() === "" ? undefined : input.value)
    }
    wrapper.append(el("label", { for: id }, caption), input, help, error)
  }
  return { wrapper, read, input, error }
}

/** Marks the fields the problem's errors name; the rest go to the form's own message. Returns what stayed unplaced. */
export function showErrors(form, problem, fallback) {
  for (const wrapper of form.querySelectorAll(".field")) {
    wrapper.classList.remove("invalid")
    const error = $(".field-error", wrapper)
    error.hidden = true
    error.textContent = ""
    for (const input of wrapper.querySelectorAll("input, select, textarea, fieldset")) input.removeAttribute("aria-invalid")
  }
  const unplaced = []
  let first
  for (const e of problem.errors || []) {
    const path = String(e.path || "").replace(/^body/, "").replace(/^\/payload/, "")
    const wrapper = [...form.querySelectorAll(".field")].find((w) => path === w.dataset.path || path.startsWith(`${w.dataset.path}/`))
    if (!wrapper) {
      unplaced.push(`${path || "/"}: ${e.message}`)
      continue
    }
    wrapper.classList.add("invalid")
    const error = $(".field-error", wrapper)
    error.hidden = false
    error.textContent = error.textContent ? `${error.textContent}; ${e.message}` : `Lỗi / error: ${e.message}`
    const input = wrapper.querySelector("input, select, textarea, fieldset")
    input.setAttribute("aria-invalid", "true")
    first ||= input
  }
  const message = $(".form-error", form)
  const general = unplaced.length || !(problem.errors || []).length ? [fallback, ...unplaced].filter(Boolean).join(" · ") : ""
  message.textContent = general
  message.hidden = !general
  ;(first || (general ? message : undefined))?.focus?.()
}

/**
 * The form of event `definition` ({ type, label, schema }) on the case `caseNow()` answers (read at
 * submit, so a live update between opening and sending is taken into account); `onSent(case)` after the server
 * accepts it, `onCancel()` when the person gives up.
 */
export function eventForm(caseNow, definition, { onSent, onCancel }) {
  const schema = definition.schema || {}
  const properties = Object.entries(schema.properties || {}).filter(([, s]) => s && s.const === undefined)
  const required = new Set(schema.required || [])
  const fields = properties.map(([name, s]) => [name, field(name, s, required.has(name))])
  const form = el(
    "form",
    { className: "event-form", dataset: { event: definition.type }, novalidate: true, "aria-labelledby": `ev-${definition.type}` },
    el("h4", { id: `ev-${definition.type}` }, ...bilingual(definition.label, definition.type)),
    ...fields.map(([, f]) => f.wrapper),
    el("p", { className: "form-error error", role: "alert", tabindex: "-1", hidden: true }),
    el("div", { className: "actions" }, el("button", { type: "submit" }, ...vien("Gửi", "Send")), el("button", { type: "button", className: "secondary", onclick: onCancel }, ...vien("Huỷ", "Cancel"))),
  )
  if (!fields.length) form.insertBefore(el("p", { className: "muted" }, ...vien("Sự kiện này không cần thông tin thêm.", "This event needs no details.")), $(".form-error", form))
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const payload = {}
    const local = []
    for (const [name, f] of fields) {
      try {
        const value = f.read()
        if (value !== undefined) payload[name] = value
      } catch {
        local.push({ path: pointer(name), message: "không phải JSON hợp lệ / not valid JSON" })
      }
    }
    if (local.length) return showErrors(form, { errors: local })
    const button = $("button[type=submit]", form)
    button.disabled = true
    try {
      const c = caseNow()
      const updated = await api(`/v1/cases/${c.id}/events`, { body: { type: definition.type, payload, expectedRev: c.rev } })
      onSent(updated)
    } catch (e) {
      const problem = e instanceof ApiError ? e.problem : {}
      const stale = problem.code === "CIVICASE_E_REVISION_CONFLICT" ? " — hồ sơ vừa thay đổi, hãy tải lại / the case changed meanwhile, reload it" : ""
      showErrors(form, problem, `Máy chủ từ chối / refused: ${e.message}${stale}`)
    } finally {
      button.disabled = false
    }
  })
  return form
}
