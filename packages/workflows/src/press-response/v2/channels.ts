import type { JsonSchema, Label } from "@civicase/core"

/**
 * The ways a government agency speaks and gives information to the press,
 * Nghị định 09/2017/NĐ-CP, Điều 4 (phát ngôn và cung cấp thông tin cho báo
 * chí), used by `press-response` version 2 (version 1 had its own shorter
 * list, `publicationChannels`).
 */
export const pressChannels = [
  "press_conference",
  "provincial_portal",
  "official_social_media",
  "interview",
  "press_release",
  "press_briefing",
  "correction_request",
] as const

/** One of {@link pressChannels}. */
export type PressChannel = (typeof pressChannels)[number]

/**
 * Bilingual labels of the channels, each with the clause of Decree 09/2017 it follows.
 *
 * @example
 * pressChannelLabels.correction_request.en // "Ask an outlet to publish a reply, correction or apology (Decree 09/2017, art. 4.6)"
 */
export const pressChannelLabels: Readonly<Record<PressChannel, Label>> = {
  press_conference: { vi: "Tổ chức họp báo (NĐ 09/2017, Điều 4 khoản 1)", en: "Press conference (Decree 09/2017, art. 4.1)" },
  provincial_portal: { vi: "Đăng trên Cổng, trang thông tin điện tử của tỉnh (Điều 4 khoản 2)", en: "The provincial portal or website (art. 4.2)" },
  official_social_media: { vi: "Đăng trên trang mạng xã hội chính thức (Điều 4 khoản 2)", en: "The official social media page (art. 4.2)" },
  interview: { vi: "Phát ngôn trực tiếp, trả lời phỏng vấn (Điều 4 khoản 3)", en: "A direct statement or an interview (art. 4.3)" },
  press_release: { vi: "Gửi thông cáo báo chí, nội dung trả lời bằng văn bản hoặc thư điện tử (Điều 4 khoản 4)", en: "A press release or written reply (art. 4.4)" },
  press_briefing: { vi: "Cung cấp thông tin tại giao ban báo chí, họp báo định kỳ (Điều 4 khoản 5; Điều 5)", en: "A press briefing or periodic press conference (art. 4.5; art. 5)" },
  correction_request: {
    vi: "Văn bản đề nghị cơ quan báo chí đăng, phát phản hồi, cải chính, xin lỗi (Điều 4 khoản 6)",
    en: "Ask an outlet to publish a reply, correction or apology (Decree 09/2017, art. 4.6)",
  },
}

/** The payload schema of `PUBLISH` in version 2: a correction request names the outlets and what each must publish. */
export const publishV2Schema: JsonSchema = {
  type: "object",
  required: ["channels", "publishedAt"],
  properties: {
    channels: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...pressChannels] },
      description: "How the information was given, as Decree 09/2017/NĐ-CP, Điều 4 lists the ways.",
    },
    publishedAt: { type: "string", format: "date-time", description: "When it was published." },
    links: { type: "array", maxItems: 50, items: { type: "string", format: "uri" }, description: "Links to the published text." },
    requests: {
      type: "array",
      minItems: 1,
      maxItems: 50,
      description: "For correction_request: each outlet asked to publish a reply, correction or apology (phản hồi, cải chính, xin lỗi).",
      items: {
        type: "object",
        required: ["outlet", "kind"],
        properties: {
          outlet: { type: "string", minLength: 1, maxLength: 300, description: "The press agency asked." },
          kind: { enum: ["reply", "correction", "apology"], description: "phản hồi, cải chính or xin lỗi." },
          article: { type: "string", minLength: 1, maxLength: 1000, description: "The article or broadcast concerned (title or link)." },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
  allOf: [
    {
      if: { properties: { channels: { contains: { const: "correction_request" } } }, required: ["channels"] },
      then: { required: ["requests"] },
      else: { not: { required: ["requests"] } },
    },
  ],
}
