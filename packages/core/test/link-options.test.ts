import { describe, expect, it } from "vitest"
import { mapInput, resolveLinkOptions } from "@civicase/core"

describe("link options", () => {
  it("fills in the defaults", () => {
    expect(resolveLinkOptions({ province: "vinh-phuc", agency: "so-tttt", peers: ["da-nang"] })).toEqual({
      province: "vinh-phuc",
      agency: "so-tttt",
      peers: ["da-nang"],
      forwardRoles: ["coordinator", "coordinator_head"],
      integrationRole: "integration",
      inbound: [],
    })
  })

  it("lists every problem by path", () => {
    let error: any
    try {
      resolveLinkOptions({
        province: "Vĩnh Phúc",
        agency: "",
        peers: ["da-nang", "da-nang", "Vĩnh Phúc"],
        forwardRoles: [],
        inbound: [{ from: "ha-noi", kind: "Press Incident", workflow: "", input: { summary: "subject/summary", kind: { value: "incident" } } }],
      })
    } catch (e) {
      error = e
    }
    expect(error.code).toBe("CIVICASE_E_INVALID_CONFIG")
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([
      "/links/province",
      "/links/agency",
      "/links/peers/1",
      "/links/peers/2",
      "/links/forwardRoles",
      "/links/inbound/0/from",
      "/links/inbound/0/kind",
      "/links/inbound/0/workflow",
      "/links/inbound/0/input/summary",
    ])
  })

  it("maps input by JSON pointer over own properties only, with constants, leaving out what is missing", () => {
    const forward = JSON.parse('{"subject":{"summary":"Tin sai","a/b":1,"__proto__":{"polluted":true}},"note":"ghi chú"}')
    expect(
      mapInput({ summary: "/subject/summary", slash: "/subject/a~1b", note: "/note", kind: { value: "incident" }, absent: "/subject/missing", inherited: "/subject/toString", polluted: "/subject/polluted" }, forward),
    ).toEqual({ summary: "Tin sai", slash: 1, note: "ghi chú", kind: "incident" })
  })
})
