/**
 * What a receiver reports about a package (trạng thái xử lý văn bản), by the
 * platform's names for it. Each has the `StatusCode` its status packet
 * carries; see {@link edxmlStatuses}.
 *
 * @example
 * const s: EdxmlStatus = "processing"
 */
export type EdxmlStatus =
  | "inbox"
  | "rejection"
  | "acceptance"
  | "assignment"
  | "processing"
  | "done"
  | "fail"
  | "cancellation"
  | "recall-requested"
  | "recalled"
  | "recall-refused"

/**
 * One status: the `StatusCode` written in the packet, labels for people, and
 * whether the code comes from the public text of the standard (`standard`)
 * or only from the platform's status names (see docs/edxml.md).
 *
 * @example
 * edxmlStatuses.done // { code: "06", standard: true, label: { vi: "Đã hoàn thành", en: "Completed" } }
 */
export interface EdxmlStatusDefinition {
  readonly code: string
  readonly standard: boolean
  readonly label: { readonly vi: string; readonly en: string }
}

/**
 * Every status with its `StatusCode`: 01 đã đến, 02 từ chối, 03 đã tiếp
 * nhận, 04 đã phân công, 05 đang xử lý, 06 đã hoàn thành, 13 yêu cầu lấy
 * lại, 15 lấy lại thành công, 16 từ chối lấy lại. `fail` and `cancellation`
 * are statuses of the platform's update-status operation for which the
 * public material gives no numeric code; their packets carry the word
 * itself.
 *
 * @example
 * edxmlStatuses.processing.code // "05"
 */
export const edxmlStatuses: { readonly [S in EdxmlStatus]: EdxmlStatusDefinition } = Object.freeze({
  inbox: { code: "01", standard: true, label: { vi: "Đã đến", en: "Arrived" } },
  rejection: { code: "02", standard: true, label: { vi: "Từ chối tiếp nhận", en: "Rejected" } },
  acceptance: { code: "03", standard: true, label: { vi: "Đã tiếp nhận", en: "Accepted" } },
  assignment: { code: "04", standard: true, label: { vi: "Đã phân công xử lý", en: "Assigned" } },
  processing: { code: "05", standard: true, label: { vi: "Đang xử lý", en: "In progress" } },
  done: { code: "06", standard: true, label: { vi: "Đã hoàn thành", en: "Completed" } },
  fail: { code: "fail", standard: false, label: { vi: "Xử lý lỗi", en: "Failed" } },
  cancellation: { code: "cancellation", standard: false, label: { vi: "Đã hủy", en: "Cancelled" } },
  "recall-requested": { code: "13", standard: true, label: { vi: "Yêu cầu lấy lại văn bản", en: "Recall requested" } },
  recalled: { code: "15", standard: true, label: { vi: "Lấy lại thành công", en: "Recalled" } },
  "recall-refused": { code: "16", standard: true, label: { vi: "Từ chối lấy lại", en: "Recall refused" } },
})

const byCode = new Map<string, EdxmlStatus>(Object.entries(edxmlStatuses).map(([name, d]) => [d.code, name as EdxmlStatus]))
const byName = new Map<string, EdxmlStatusDefinition>(Object.entries(edxmlStatuses))

/**
 * The status a `StatusCode` stands for, or undefined for a code civicase does not know.
 *
 * @example
 * edxmlStatusFromCode("05") // "processing"
 */
export function edxmlStatusFromCode(code: string): EdxmlStatus | undefined {
  return byCode.get(code)
}

/** The definition of a status name, or undefined (a Map lookup, safe for any string). */
export function edxmlStatusDefinition(status: unknown): EdxmlStatusDefinition | undefined {
  return typeof status === "string" ? byName.get(status) : undefined
}
