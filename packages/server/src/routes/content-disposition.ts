/** Characters RFC 5987's `attr-char` allows unescaped; everything else is %-encoded UTF-8. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+.^_`|~-]/

/**
 * A `Content-Disposition: attachment` value for a file name (RFC 6266): an
 * ASCII `filename` for old clients (Vietnamese letters without their marks,
 * `đ` as `d`, anything else as `_`) and `filename*` in UTF-8 with the exact
 * name for every current browser.
 *
 * @example
 * contentDisposition("Báo cáo sạt lở.pdf")
 * // attachment; filename="Bao cao sat lo.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20s%E1%BA%A1t%20l%E1%BB%9F.pdf
 */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]|["\\%]/g, "_")
  const encoded = [...new TextEncoder().encode(name)]
    .map((byte) => {
      const ch = String.fromCharCode(byte)
      return byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
    })
    .join("")
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
