/** The most words kept from one case's text: bounds the tsvector however long a context's fields are. */
const MAX_WORDS = 2000
/** Words longer than this are cut: PostgreSQL refuses a lexeme over 2 KB, and nobody searches by one. */
const MAX_WORD = 100

/**
 * Folds Vietnamese text for search (bỏ dấu): lower case, combining marks
 * removed after NFD, `đ` as `d`. "Sạt lở đất" and "sat lo dat" fold alike.
 *
 * @example
 * foldVietnamese("Sạt lở đất ở Tam Đảo") // "sat lo dat o tam dao"
 */
export function foldVietnamese(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase()
}

/**
 * The words of `text` after folding: runs of ASCII letters and digits,
 * everything else a separator. Both the stored text and a query go through
 * it, so they match exactly, and a query can hold nothing but words (no
 * tsquery operator reaches PostgreSQL).
 *
 * @example
 * searchWords("Kế hoạch 155/KH-UBND") // ["ke", "hoach", "155", "kh", "ubnd"]
 */
export function searchWords(text: string): string[] {
  return (foldVietnamese(text).match(/[a-z0-9]+/g) ?? []).map((w) => w.slice(0, MAX_WORD))
}

/**
 * A case's searchable text as stored: its distinct words, space-separated,
 * at most 2000 of them (empty when it has none).
 *
 * @example
 * searchDocument(["Sạt lở đất", "Tam Đảo", undefined]) // "sat lo dat tam dao"
 */
export function searchDocument(texts: ReadonlyArray<string | null | undefined>): string {
  const words = new Set<string>()
  for (const t of texts) {
    if (typeof t !== "string") continue
    for (const w of searchWords(t)) {
      if (words.size >= MAX_WORDS) break
      words.add(w)
    }
  }
  return [...words].join(" ")
}
