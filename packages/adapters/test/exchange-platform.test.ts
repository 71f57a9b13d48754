import { ExchangePlatformError, httpExchangePlatform } from "@civicase/adapters/exchange"
import { type FakeExchangePlatform, startFakeExchangePlatform } from "@civicase/adapters/exchange/testing"
import { afterEach, beforeEach, describe, expect, it } from "vitest"

const agencies = [
  { code: "000.00.14.H62", name: "Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc" },
  { code: "000.00.00.G12", name: "Ban Thi đua – Khen thưởng Trung ương" },
]

describe("httpExchangePlatform against the fake platform on loopback", () => {
  let fake: FakeExchangePlatform
  beforeEach(async () => {
    fake = await startFakeExchangePlatform({ agencies, token: "t0ken" })
  })
  afterEach(() => fake.close())

  it("lists, sends once per key (a Vietnamese key included), lists the inbox, gets and acknowledges", async () => {
    const platform = httpExchangePlatform({ url: fake.url, token: "t0ken" })
    expect(await platform.agencies()).toEqual(agencies)
    const message = { from: "000.00.14.H62", to: ["000.00.00.G12"], key: "000.00.14.H62,2025/03/03,4/TTr-UBND.đ", xml: "<edXML>…</edXML>" }
    const first = await platform.send(message)
    expect(await platform.send(message)).toEqual(first)
    expect(fake.messages()).toHaveLength(1)
    expect(fake.messages()[0]!.key).toBe(message.key)
    expect(await platform.inbox("000.00.00.G12", 10)).toEqual([{ id: first.id, from: "000.00.14.H62", key: message.key }])
    expect(await platform.get(first.id)).toBe("<edXML>…</edXML>")
    await platform.acknowledge(first.id, "000.00.00.G12")
    await platform.acknowledge(first.id, "000.00.00.G12")
    expect(await platform.inbox("000.00.00.G12", 10)).toEqual([])
    fake.redeliver(first.id, "000.00.00.G12")
    expect(await platform.inbox("000.00.00.G12", 10)).toHaveLength(1)
  })

  it("reports failures as ExchangePlatformError with the operation and status: a bad token, an outage, an unknown code", async () => {
    const wrong = httpExchangePlatform({ url: fake.url, token: "nope" })
    await expect(wrong.agencies()).rejects.toMatchObject({ name: "ExchangePlatformError", operation: "agencies", status: 401 })
    const platform = httpExchangePlatform({ url: fake.url, token: "t0ken" })
    fake.failNext("inbox")
    await expect(platform.inbox("000.00.14.H62", 5)).rejects.toBeInstanceOf(ExchangePlatformError)
    expect(await platform.inbox("000.00.14.H62", 5)).toEqual([])
    await expect(platform.send({ from: "000.00.14.H62", to: ["000.00.99.X"], key: "k", xml: "<x/>" })).rejects.toMatchObject({ operation: "send", status: 422 })
    await expect(platform.inbox("../admin", 5)).rejects.toMatchObject({ operation: "inbox", message: expect.stringContaining("is not an agency code") })
  })

  it("gives up on a platform slower than its timeout, and works again once it answers", async () => {
    const platform = httpExchangePlatform({ url: fake.url, token: "t0ken", timeoutMs: 100 })
    fake.delay(3000)
    await expect(platform.agencies()).rejects.toMatchObject({ name: "ExchangePlatformError", operation: "agencies" })
    fake.delay(0)
    expect(await httpExchangePlatform({ url: fake.url, token: "t0ken" }).agencies()).toEqual(agencies)
  })

  it("refuses a base URL that is not http(s)", () => {
    expect(() => httpExchangePlatform({ url: "ftp://lgsp" })).toThrow(/\/url/)
  })
})
