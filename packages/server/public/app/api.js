/* global FormData, TextDecoder, atob, fetch, sessionStorage */
// The HTTP API with the signed-in person's token. The token stays in this tab's sessionStorage.

export const session = { token: sessionStorage.getItem("civicase.token") || "", claims: undefined }

/** A refused call: the problem document (RFC 9457) the server answered. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
  }
}

export async function api(path, options = {}) {
  const headers = { ...(session.token ? { authorization: `Bearer ${session.token}` } : {}), ...(options.headers || {}) }
  let body = options.body
  if (body !== undefined && !(body instanceof FormData)) {
    headers["content-type"] = "application/json"
    body = JSON.stringify(body)
  }
  const response = await fetch(path, { method: options.method || (body ? "POST" : "GET"), headers, body })
  const type = response.headers.get("content-type") || ""
  const answer = type.includes("json") ? await response.json() : await response.text()
  if (!response.ok) throw new ApiError(response.status, typeof answer === "object" ? answer : { detail: answer })
  return answer
}

/** A document's bytes (downloads need the bearer token, so a plain link cannot fetch them). */
export async function download(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${session.token}` } })
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})))
  return response.blob()
}

export function decodeClaims(token) {
  try {
    const bytes = Uint8Array.from(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0))
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return undefined
  }
}

export function setToken(token) {
  session.token = token
  session.claims = decodeClaims(token)
  sessionStorage.setItem("civicase.token", token)
}
