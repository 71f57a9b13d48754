import type { NotificationChannel, PersonNotification } from "@civicase/core/notifications"
import nodemailer from "nodemailer"

/** Options of {@link smtpChannel}. */
export interface SmtpChannelOptions {
  /**
   * The SMTP server, `smtp://user:password@host:587` (STARTTLS when offered)
   * or `smtps://…:465`; keep it in the environment (`CIVICASE_SMTP_URL`): it
   * holds a secret and is never logged.
   */
  readonly url: string
  /** The sender, `"Civicase Vĩnh Phúc" <civicase@vinhphuc.gov.vn>`. */
  readonly from: string
  /** Channel name rules choose by; default `email`. */
  readonly name?: string
  /** Give up on one message after this many milliseconds (the outbox retries); default 30000. */
  readonly timeoutMs?: number
}

/** `user:password@` and any `pass=` parameter taken out, for messages. */
function redact(text: string, secrets: ReadonlyArray<string>): string {
  let out = text.replace(/\/\/[^/@\s]*@/g, "//***@")
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join("***")
  return out
}

/**
 * The email channel (thư điện tử) of people notifications, over SMTP with
 * nodemailer. Each notification is one mail to the person's directory
 * address, the subject and body in Vietnamese then English, with the case
 * link; `Message-ID` is derived from the notification id, so a retried row
 * yields the same id and mail systems can drop the duplicate. A person
 * without an address is not reached (`false`); a refused or failed send
 * throws, and the outbox row is retried. The URL's credentials never appear
 * in errors.
 *
 * @example
 * const email = smtpChannel({ url: process.env.CIVICASE_SMTP_URL!, from: "civicase@vinhphuc.gov.vn" })
 * createEngine({ store, workflows, plugins: [peopleNotifications({ rules, channels: [email] })] })
 */
export function smtpChannel(options: SmtpChannelOptions): NotificationChannel & { close(): void } {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    throw new TypeError("smtpChannel: url is not a valid URL (smtp://user:password@host:port)")
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") throw new TypeError(`smtpChannel: url must be smtp:// or smtps://, got ${url.protocol}`)
  if (typeof options.from !== "string" || !options.from.includes("@")) throw new TypeError("smtpChannel: from must be an email address")
  const timeoutMs = options.timeoutMs ?? 30_000
  const secrets = [decodeURIComponent(url.password), url.searchParams.get("pass") ?? ""].filter(Boolean)
  const transport = nodemailer.createTransport(options.url, {})
  transport.set("connectionTimeout", timeoutMs)
  const name = options.name ?? "email"
  return {
    name,
    async send(n: PersonNotification): Promise<boolean> {
      if (!n.recipient.email) return false
      try {
        await transport.sendMail({
          from: options.from,
          to: { name: n.recipient.name, address: n.recipient.email },
          subject: `${n.subject.vi} | ${n.subject.en}`,
          text: `${n.body.vi}\n\n-- English --\n\n${n.body.en}\n`,
          messageId: `<${n.id.replace(/[^A-Za-z0-9.-]/g, ".")}@civicase>`,
          headers: { "X-Civicase-Notification": n.id, "X-Civicase-Case": n.caseId },
        })
        return true
      } catch (e) {
        throw new Error(`smtp ${url.hostname}: ${redact(e instanceof Error ? e.message : String(e), secrets)}`)
      }
    },
    close() {
      transport.close()
    },
  }
}
