import { describe, expect, it } from "vitest"
import { foldVietnamese, searchWords, textMentions } from "@civicase/core"

describe("Vietnamese folding for search", () => {
  it("folds diacritics, đ and case alike whether the text came composed or decomposed", () => {
    const composed = "Sạt lở đất ở Tam Đảo"
    expect(foldVietnamese(composed)).toBe("sat lo dat o tam dao")
    expect(foldVietnamese(composed.normalize("NFD"))).toBe("sat lo dat o tam dao")
    expect(foldVietnamese("ĐƯỜNG HỒ CHÍ MINH")).toBe("duong ho chi minh")
  })

  it("splits into words of letters and digits only, so no query syntax survives", () => {
    expect(searchWords("Kế hoạch 155/KH-UBND")).toEqual(["ke", "hoach", "155", "kh", "ubnd"])
    expect(searchWords("sat & !lo | (tam:* <-> 'x'")).toEqual(["sat", "lo", "tam", "x"])
    expect(searchWords("!!! ---")).toEqual([])
  })
})

describe("mentions in a comment's text", () => {
  it("reads @id tokens, not email addresses, and drops trailing punctuation", () => {
    expect(textMentions("@head-1 nhờ anh, hỏi @u.17. Gửi a@head-1.vn và @head-1")).toEqual(["head-1", "u.17"])
  })
})
