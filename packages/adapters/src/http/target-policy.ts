import { lookup as dnsLookup } from "node:dns/promises"
import { BlockList, isIP } from "node:net"
import { InvalidConfigError, TargetRefusedError, type ValidationIssue } from "@civicase/core"

/** One resolved address of a host name. */
export interface ResolvedAddress {
  readonly address: string
  readonly family: 4 | 6
}

/**
 * Options of {@link targetPolicy}.
 *
 * @example
 * targetPolicy({ allow: ["10.20.0.0/16", "127.0.0.1"] })
 */
export interface TargetPolicyOptions {
  /**
   * Private, loopback or link-local addresses and CIDR ranges that are
   * allowed all the same (a receiver inside the province's network, a test
   * server on 127.0.0.1). Everything public is allowed without listing.
   */
  readonly allow?: ReadonlyArray<string>
  /** Resolves a host name (default: the system resolver, every address); tests give their own. */
  readonly resolve?: (hostname: string) => Promise<ReadonlyArray<ResolvedAddress>>
}

/** The connect-time lookup `http.request` takes, refusing addresses the policy does not allow. */
export type GuardedLookup = (
  hostname: string,
  options: { all?: boolean },
  callback: (error: Error | null, address: string | ReadonlyArray<{ address: string; family: number }>, family?: number) => void,
) => void

/**
 * Where outbound HTTP may go (chống SSRF). `check` refuses a URL before it is
 * stored (a subscription) or used; `lookup` refuses again on the address a
 * connection actually resolves, so a name that later resolves to a private
 * address (DNS rebinding) is caught at delivery time.
 */
export interface TargetPolicy {
  /** The URL parsed, or `TargetRefusedError`: not http(s), with credentials, or a host that is or resolves to a refused address, or does not resolve. */
  check(url: string): Promise<URL>
  /** Why `address` is refused, or undefined when it is allowed. */
  refusal(address: string): string | undefined
  readonly lookup: GuardedLookup
}

const refusedRanges: ReadonlyArray<readonly [string, number, "ipv4" | "ipv6", string]> = [
  ["0.0.0.0", 8, "ipv4", "is in 0.0.0.0/8 (this network)"],
  ["10.0.0.0", 8, "ipv4", "is private (10.0.0.0/8)"],
  ["100.64.0.0", 10, "ipv4", "is shared address space (100.64.0.0/10)"],
  ["127.0.0.0", 8, "ipv4", "is loopback"],
  ["169.254.0.0", 16, "ipv4", "is link-local (cloud metadata lives at 169.254.169.254)"],
  ["172.16.0.0", 12, "ipv4", "is private (172.16.0.0/12)"],
  ["192.0.0.0", 24, "ipv4", "is reserved for protocol assignments"],
  ["192.0.2.0", 24, "ipv4", "is reserved for documentation"],
  ["192.168.0.0", 16, "ipv4", "is private (192.168.0.0/16)"],
  ["198.18.0.0", 15, "ipv4", "is reserved for benchmarking"],
  ["198.51.100.0", 24, "ipv4", "is reserved for documentation"],
  ["203.0.113.0", 24, "ipv4", "is reserved for documentation"],
  ["224.0.0.0", 4, "ipv4", "is multicast"],
  ["240.0.0.0", 4, "ipv4", "is reserved"],
  ["::", 128, "ipv6", "is the unspecified address"],
  ["::1", 128, "ipv6", "is loopback"],
  ["64:ff9b::", 96, "ipv6", "is NAT64 (it may reach an IPv4 private address)"],
  ["fc00::", 7, "ipv6", "is a unique local address (private)"],
  ["fe80::", 10, "ipv6", "is link-local"],
  ["ff00::", 8, "ipv6", "is multicast"],
  ["2001:db8::", 32, "ipv6", "is reserved for documentation"],
]

const reasons = refusedRanges.map(([net, prefix, type, why]) => {
  const list = new BlockList()
  list.addSubnet(net, prefix, type)
  return { list, why }
})

/** An IPv4 address an IPv6 one embeds (`::ffff:127.0.0.1`, `::ffff:7f00:1`), so that it is judged as IPv4. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address)
  if (!m) return undefined
  if (m[1]) return m[1]
  const hi = Number.parseInt(m[2]!, 16)
  const lo = Number.parseInt(m[3]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

function parseAllowList(allow: ReadonlyArray<string>): BlockList {
  const list = new BlockList()
  const issues: ValidationIssue[] = []
  for (const [i, entry] of allow.entries()) {
    const [net, bits, extra] = String(entry).split("/")
    const type = isIP(net ?? "")
    const prefix = bits === undefined ? (type === 4 ? 32 : 128) : Number(bits)
    if (!type || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (type === 4 ? 32 : 128)) {
      issues.push({ path: `/allow/${i}`, message: `must be an IP address or CIDR range such as 10.20.0.0/16, got ${JSON.stringify(entry)}` })
      continue
    }
    list.addSubnet(net!, prefix, type === 4 ? "ipv4" : "ipv6")
  }
  if (issues.length) throw new InvalidConfigError("target policy", issues)
  return list
}

async function systemResolve(hostname: string): Promise<ReadonlyArray<ResolvedAddress>> {
  return (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

/**
 * The policy for outbound webhooks and links: public addresses pass; private,
 * loopback, link-local, metadata, multicast and reserved ones are refused
 * unless `allow` lists them.
 *
 * @example
 * const policy = targetPolicy({ allow: ["127.0.0.1"] })
 * await policy.check("http://169.254.169.254/latest") // TargetRefusedError: … is link-local
 */
export function targetPolicy(options: TargetPolicyOptions = {}): TargetPolicy {
  const allowed = parseAllowList(options.allow ?? [])
  const resolve = options.resolve ?? systemResolve
  const refusal = (raw: string): string | undefined => {
    const bare = raw.replace(/^\[|\]$/g, "").replace(/%.*$/, "")
    const v4 = embeddedIpv4(bare)
    const address = v4 ?? bare
    const type = isIP(address) === 4 ? "ipv4" : isIP(address) === 6 ? "ipv6" : undefined
    if (!type) return `${raw} is not an IP address`
    if (allowed.check(address, type)) return undefined
    const hit = reasons.find((r) => r.list.check(address, type))
    return hit ? `${address} ${hit.why}; allow it in the configuration if it is meant` : undefined
  }
  const resolved = async (hostname: string): Promise<ReadonlyArray<ResolvedAddress>> => {
    let addresses: ReadonlyArray<ResolvedAddress>
    try {
      addresses = await resolve(hostname)
    } catch (e) {
      throw new TargetRefusedError(hostname, `does not resolve (${(e as { code?: string }).code ?? (e as Error).message})`)
    }
    if (addresses.length === 0) throw new TargetRefusedError(hostname, "does not resolve")
    // A name with any refused address is refused whole: rebinding services answer with a mix.
    for (const a of addresses) {
      const why = refusal(a.address)
      if (why) throw new TargetRefusedError(hostname, `resolves to ${why}`)
    }
    return addresses
  }
  return {
    refusal,
    async check(text) {
      let url: URL
      try {
        url = new URL(text)
      } catch {
        throw new TargetRefusedError(String(text).slice(0, 200), "is not a valid URL")
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new TargetRefusedError(url.origin, `must be http or https, not ${url.protocol}`)
      if (url.username || url.password) throw new TargetRefusedError(url.host, "must not carry credentials in the URL")
      const host = url.hostname.replace(/^\[|\]$/g, "")
      if (isIP(host)) {
        const why = refusal(host)
        if (why) throw new TargetRefusedError(url.host, why)
      } else {
        await resolved(host)
      }
      return url
    },
    lookup(hostname, opts, callback) {
      resolved(hostname).then(
        (addresses) => {
          if (opts?.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })))
          else callback(null, addresses[0]!.address, addresses[0]!.family)
        },
        (e: Error) => callback(e, ""),
      )
    },
  }
}
