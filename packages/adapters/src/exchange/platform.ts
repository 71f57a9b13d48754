/**
 * An agency as the exchange platform lists it (danh bạ cơ quan trên trục
 * liên thông): its national code (mã định danh) and name.
 *
 * @example
 * { code: "000.00.14.H62", name: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" }
 */
export interface PlatformAgency {
  readonly code: string
  readonly name: string
}

/**
 * A document handed to the platform: an edXML package or status packet
 * (XML text), who sends it and to whom, by agency code. `key` makes a repeat
 * safe: the platform keeps one message per sender and key, so a retry after a
 * lost answer sends nothing twice.
 *
 * @example
 * { from: "000.00.14.H62", to: ["000.00.09.H62"], key: "000.00.14.H62,2025/03/03,4/KH-CC", xml }
 */
export interface OutgoingMessage {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly key: string
  readonly xml: string
}

/**
 * A message waiting for an agency (văn bản đến), as the inbox lists it: the
 * platform's id, the sender's code, and the sender's key (its document id).
 *
 * @example
 * { id: "m-17", from: "000.00.01.G01", key: "000.00.01.G01,2025/03/10,112/QĐ-CTN" }
 */
export interface InboxEntry {
  readonly id: string
  readonly from: string
  readonly key: string
}

/**
 * The national document-exchange platform or a province's LGSP (trục liên
 * thông văn bản), as civicase needs it: the directory, sending, the inbox,
 * reading one message and acknowledging it. `httpExchangePlatform` speaks the
 * small REST shape documented in docs/exchange.md; a driver for a real LGSP
 * implements the same five operations.
 *
 * Delivery is at least once: a message stays in the inbox until it is
 * acknowledged, and may come back after that (a platform that repeats), so
 * the receiver deduplicates by document id.
 *
 * @example
 * const platform = httpExchangePlatform({ url: "https://lgsp.vinhphuc.gov.vn/edoc", token })
 * for (const m of await platform.inbox("000.00.14.H62", 20)) {
 *   const xml = await platform.get(m.id)
 *   // … act on it …
 *   await platform.acknowledge(m.id, "000.00.14.H62")
 * }
 */
export interface ExchangePlatform {
  /** Every agency the platform can deliver to. */
  agencies(): Promise<ReadonlyArray<PlatformAgency>>
  /** Hands a package or status packet over; resolves with the platform's message id (the same id for a repeated key). */
  send(message: OutgoingMessage): Promise<{ readonly id: string }>
  /** Up to `limit` messages waiting for `agency`, oldest first. */
  inbox(agency: string, limit: number): Promise<ReadonlyArray<InboxEntry>>
  /** The XML of one message. */
  get(id: string): Promise<string>
  /** Takes the message out of `agency`'s inbox. Acknowledging twice is not an error. */
  acknowledge(id: string, agency: string): Promise<void>
}
