/** Where the bearer token comes from: a fixed token, or a function asked before every request (and every live-feed connection). */
export type TokenSource = { readonly token: string } | { readonly getToken: () => string | Promise<string> }

/**
 * A function returning the current token, whichever way it was given.
 *
 * @example
 * const current = tokenGetter({ getToken: () => auth.accessToken() })
 * const token = await current()
 */
export function tokenGetter(source: Partial<{ token: string; getToken: () => string | Promise<string> }>): () => Promise<string> {
  if (typeof source.getToken === "function") {
    const get = source.getToken
    return async () => {
      const token = await get()
      if (typeof token !== "string" || token.length === 0) throw new TypeError("createClient: getToken() must return a non-empty string")
      return token
    }
  }
  if (typeof source.token === "string" && source.token.length > 0) {
    const token = source.token
    return async () => token
  }
  throw new TypeError("createClient: give token (a string) or getToken (a function)")
}
