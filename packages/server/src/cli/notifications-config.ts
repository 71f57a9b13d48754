import { existsSync, readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { type Notifier, type Plugin, compileSchema, ownValue } from "@civicase/core"
import { type NotificationChannel, notificationRules, peopleNotifications } from "@civicase/core/notifications"
import { webhookNotifier } from "@civicase/adapters"
import { smtpChannel } from "@civicase/adapters/smtp"
import type { Province } from "@civicase/workflows"
import { provinceEngineOptions } from "@civicase/workflows"
import { type PersonFeed, personFeed } from "../live/person-feed.js"
import { UsageError } from "./open-engine.js"

/**
 * The channel part of the notification file `civicase serve` reads (the rest
 * is the rules, see docs/notifications.md). Secrets are never in the file:
 * the SMTP URL and webhook secrets come from the environment variables named.
 *
 * @example
 * { "email": { "from": "civicase@vinhphuc.gov.vn", "urlEnv": "CIVICASE_SMTP_URL" },
 *   "webhooks": [{ "url": "https://portal.vinhphuc.gov.vn/hooks", "secretEnv": "CIVICASE_HOOK_SECRET", "topics": ["notify.*"] }],
 *   "live": true }
 */
export interface ChannelsConfig {
  readonly email?: { readonly from: string; readonly urlEnv?: string }
  readonly webhooks?: ReadonlyArray<{ readonly url: string; readonly secretEnv: string; readonly topics?: ReadonlyArray<string> }>
  /** Push notifications to the person's live clients; default true. */
  readonly live?: boolean
}

/** What the notification file turns into for `civicase serve`. */
export interface ServeNotifications {
  readonly plugin: Plugin
  readonly notifiers: ReadonlyArray<Notifier>
  readonly feed?: PersonFeed
  /** One line for the start-up log, without secrets. */
  readonly summary: string
  close(): void
}

const env = { type: "string", pattern: "^[A-Z_][A-Z0-9_]*$" } as const
const checkChannels = compileSchema({
  type: "object",
  properties: {
    email: { type: "object", required: ["from"], properties: { from: { type: "string", minLength: 3, maxLength: 300 }, urlEnv: env }, additionalProperties: false },
    webhooks: {
      type: "array",
      maxItems: 20,
      items: {
        type: "object",
        required: ["url", "secretEnv"],
        properties: { url: { type: "string", pattern: "^https?://" }, secretEnv: env, topics: { type: "array", items: { type: "string", minLength: 1 } } },
        additionalProperties: false,
      },
    },
    live: { type: "boolean" },
  },
  additionalProperties: false,
})

/** `--notifications FILE`, or `notifications.json` next to the province file, or none. */
export function notificationsFile(flag: string | undefined, provinceFile: string | undefined): string | undefined {
  if (flag) return resolve(flag)
  if (!provinceFile) return undefined
  const beside = resolve(dirname(resolve(provinceFile)), "notifications.json")
  return existsSync(beside) ? beside : undefined
}

/**
 * Reads the notification file (when there is one) and wires its channels:
 * email over SMTP (URL from the environment, `CIVICASE_SMTP_URL` by default),
 * signed webhooks, and the live feed. Without a file, the notifications
 * plugin still runs with no rules, so messages for people are marked
 * `unrouted` in the outbox instead of staying silently pending. Problems are
 * listed by path.
 *
 * @example
 * const n = readNotifications("./notifications.json", province, process.env)
 */
export function readNotifications(file: string | undefined, province: Province, environment: NodeJS.ProcessEnv): ServeNotifications {
  let raw: Record<string, unknown> = { rules: [] }
  if (file) {
    let text: string
    try {
      text = readFileSync(file, "utf8")
    } catch (e) {
      throw new UsageError(`--notifications ${file}: cannot read the file: ${(e as Error).message}`)
    }
    try {
      raw = JSON.parse(text)
    } catch (e) {
      throw new UsageError(`--notifications ${file}: not valid JSON: ${(e as Error).message}`)
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new UsageError(`--notifications ${file} is invalid:\n  /: must be an object`)
  }
  const { channels: channelPart = {}, ...rulePart } = raw as { channels?: unknown }
  const issues = [...checkChannels(channelPart).map((i) => ({ path: `/channels${i.path === "/" ? "" : i.path}`, message: i.message }))]
  let rules
  try {
    rules = notificationRules(rulePart, `--notifications ${file ?? "(none)"}`)
  } catch (e) {
    issues.push(...((e as { issues?: ReadonlyArray<{ path: string; message: string }> }).issues ?? [{ path: "/", message: (e as Error).message }]))
  }
  if (issues.length || !rules) throw new UsageError(`--notifications ${file} is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`)
  const channels = channelPart as ChannelsConfig
  const made: NotificationChannel[] = []
  const closers: Array<() => void> = []
  const said: string[] = []
  if (channels.email) {
    const name = channels.email.urlEnv ?? "CIVICASE_SMTP_URL"
    const url = ownValue(environment, name)
    if (!url) throw new UsageError(`--notifications ${file}: /channels/email needs the SMTP URL in the environment variable ${name}, which is not set`)
    let email
    try {
      email = smtpChannel({ url, from: channels.email.from })
    } catch (e) {
      throw new UsageError(`--notifications ${file}: ${name}: ${(e as Error).message}`)
    }
    made.push(email)
    closers.push(() => email.close())
    said.push(`email via ${new URL(url).hostname}`)
  }
  const feed = channels.live === false ? undefined : personFeed()
  if (feed) {
    made.push(feed)
    said.push("live feed")
  }
  const notifiers = (channels.webhooks ?? []).map((w, i) => {
    const secret = ownValue(environment, w.secretEnv)
    if (!secret) throw new UsageError(`--notifications ${file}: /channels/webhooks/${i}/secretEnv names ${w.secretEnv}, which is not set in the environment`)
    said.push(`webhook ${new URL(w.url).host}`)
    return webhookNotifier({ url: w.url, secret: secret.split(/\s+/).filter(Boolean), ...(w.topics ? { topics: w.topics } : {}) })
  })
  const plugin = peopleNotifications({ rules, channels: made, calendar: province.calendar, workflows: provinceEngineOptions(province).workflows })
  return {
    plugin,
    notifiers,
    ...(feed ? { feed } : {}),
    summary: `${rules.rules.length} rule(s)${said.length ? `; ${said.join(", ")}` : "; no channel: messages stay unrouted"}`,
    close: () => closers.forEach((c) => c()),
  }
}
