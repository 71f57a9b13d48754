/* global document, setTimeout */
// Small DOM helpers: every text goes through textContent or text nodes, never parsed as markup, so nothing a case holds can become an element.

export const $ = (selector, root = document) => root.querySelector(selector)

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (name === "className") node.className = value
    else if (name === "dataset") Object.assign(node.dataset, value)
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value)
    else node.setAttribute(name, value === true ? "" : String(value))
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false))
  return node
}

/** Vietnamese with the English beside it: `text(vi, en)`. */
export function vien(vi, en) {
  return [document.createTextNode(vi), el("span", { className: "en" }, en)]
}

/** A label as "vi" with "en" beside it, or the raw id when there is no label. */
export function bilingual(label, fallback) {
  if (!label) return [document.createTextNode(fallback)]
  const vi = label.vi || label.en || fallback
  return label.en && label.en !== vi ? vien(vi, label.en) : [document.createTextNode(vi)]
}

export const when = (iso) => new Date(iso).toLocaleString("vi-VN", { dateStyle: "short", timeStyle: "short" })

/** Time left until `iso` (negative: overdue), in days and hours, both languages. */
export function timeLeft(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now
  const abs = Math.abs(ms)
  const days = Math.floor(abs / 86400000)
  const hours = Math.floor((abs % 86400000) / 3600000)
  const minutes = Math.floor((abs % 3600000) / 60000)
  const vi = days ? `${days} ngày ${hours} giờ` : hours ? `${hours} giờ ${minutes} phút` : `${minutes} phút`
  const en = days ? `${days} d ${hours} h` : hours ? `${hours} h ${minutes} min` : `${minutes} min`
  return ms >= 0 ? { overdue: false, vi: `còn ${vi}`, en: `${en} left` } : { overdue: true, vi: `quá hạn ${vi}`, en: `${en} overdue` }
}

/** Says `message` to screen readers through the page's polite live region. */
export function announce(message) {
  const region = $("#announce")
  region.textContent = ""
  // A fresh text node after clearing, so the same sentence twice is read twice.
  setTimeout(() => (region.textContent = message), 50)
}
