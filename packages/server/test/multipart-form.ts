/** One part of a multipart form: a text field, or a file with its name and media type. */
export type FormPart =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly filename: string; readonly type: string; readonly data: Uint8Array }

/**
 * A `multipart/form-data` body as a browser sends it (file names as raw
 * UTF-8 in `filename="…"`), for `app.inject`.
 *
 * @example
 * const { payload, contentType } = multipartForm([{ name: "note", value: "bản gốc" }, { name: "file", filename: "Báo cáo.pdf", type: "application/pdf", data }])
 */
export function multipartForm(parts: ReadonlyArray<FormPart>): { payload: Buffer; contentType: string } {
  const boundary = `----civicase${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    const head =
      "filename" in part
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`
    chunks.push(Buffer.from(head, "utf8"), "filename" in part ? Buffer.from(part.data) : Buffer.from(part.value, "utf8"), Buffer.from("\r\n"))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}
