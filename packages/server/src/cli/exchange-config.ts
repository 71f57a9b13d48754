import { readFileSync } from "node:fs"
import { ownValue } from "@civicase/core"
import { type ExchangeConnector, type ExchangeRules, exchangeConnector, exchangeRulesIssues, httpExchangePlatform } from "@civicase/adapters/exchange"
import type { Province } from "@civicase/workflows"
import { UsageError } from "./open-engine.js"

/**
 * The `exchange` section of `civicase serve --integration FILE`: where the
 * document-exchange platform is (its token is read from the environment
 * variable `tokenEnv` names, never from the file) and the exchange rules.
 *
 * @example
 * { "exchange": { "platform": { "url": "https://lgsp.vinhphuc.gov.vn/edoc", "tokenEnv": "CIVICASE_EXCHANGE_TOKEN" },
 *                 "agency": "so-tttt", "place": "Vĩnh Phúc", "send": [ … ], "receive": [ … ] } }
 */
export interface ExchangeSection extends ExchangeRules {
  readonly platform: { readonly url: string; readonly tokenEnv?: string; readonly timeoutMs?: number }
}

function platformIssues(p: unknown): { path: string; message: string }[] {
  if (typeof p !== "object" || p === null) return [{ path: "/exchange/platform", message: "must be { url, tokenEnv? }" }]
  const issues: { path: string; message: string }[] = []
  const extra = Object.keys(p).filter((k) => !["url", "tokenEnv", "timeoutMs"].includes(k))
  for (const k of extra) issues.push({ path: `/exchange/platform/${k}`, message: "is not a platform setting (url, tokenEnv, timeoutMs)" })
  const { url, tokenEnv, timeoutMs } = p as Record<string, unknown>
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) issues.push({ path: "/exchange/platform/url", message: "must be the platform's http(s) base URL" })
  if (tokenEnv !== undefined && (typeof tokenEnv !== "string" || !/^[A-Z_][A-Z0-9_]*$/.test(tokenEnv))) issues.push({ path: "/exchange/platform/tokenEnv", message: "must name an environment variable" })
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || (timeoutMs as number) < 1)) issues.push({ path: "/exchange/platform/timeoutMs", message: "must be a positive integer" })
  return issues
}

/**
 * Reads the `exchange` section of the integration file, if there is one,
 * into a connector for `province` (give it to the engine's plugins, then
 * `startPolling(engine)`). Problems are listed by path.
 *
 * @example
 * const exchange = readExchange("./integration.json", province, process.env) // undefined without an exchange section
 */
export function readExchange(file: string | undefined, province: Province, env: NodeJS.ProcessEnv): ExchangeConnector | undefined {
  if (!file) return undefined
  // readIntegration has already read and checked the file as JSON; this reads its own section.
  const section = ownValue(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>, "exchange") as ExchangeSection | undefined
  if (section === undefined) return undefined
  if (typeof section !== "object" || section === null) throw new UsageError(`--integration ${file}: /exchange must be an object`)
  const { platform, ...rules } = section
  const issues = [...platformIssues(platform), ...exchangeRulesIssues(rules, "/exchange")]
  if (issues.length) throw new UsageError(`--integration ${file} is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`)
  const token = platform.tokenEnv ? ownValue(env, platform.tokenEnv) : undefined
  if (platform.tokenEnv && !token) throw new UsageError(`--integration ${file}: /exchange/platform/tokenEnv names ${platform.tokenEnv}, which is not set in the environment`)
  try {
    return exchangeConnector({
      platform: httpExchangePlatform({ url: platform.url, ...(token ? { token } : {}), ...(platform.timeoutMs ? { timeoutMs: platform.timeoutMs } : {}) }),
      province: province.id,
      directory: province,
      rules,
    })
  } catch (e) {
    throw new UsageError(`--integration ${file}: ${(e as Error).message}`)
  }
}
