import { describe, expect, it } from "vitest"
import { AccessPolicy, type Actor, type ProvinceDirectory, SYSTEM_ROLE, createEngine } from "@civicase/core"
import { demoWorkflow } from "@civicase/core/testing"

const directory: ProvinceDirectory = {
  agencies: ["ubnd-tinh", "so-tttt", "so-khdt"],
  retired: { "huyen-tam-dao": "so-khdt" },
  roles: { coordinator_head: ["so-tttt"], province_leader: ["ubnd-tinh"], agency_officer: ["*"], observer: ["*"] },
  provinceWideRoles: ["coordinator_head", "province_leader"],
}
const actor = (agency: string, roles: string[], province = "vinh-phuc", id = "u1"): Actor => ({ id, province, agency, roles })

describe("AccessPolicy with a province directory", () => {
  const access = new AccessPolicy({ provinces: { "vinh-phuc": directory } })

  it("admits an actor whose agency is active and whose every role the province gives that agency", () => {
    expect(access.refusal(actor("so-tttt", ["coordinator_head"]))).toBeUndefined()
    expect(access.refusal(actor("so-khdt", ["agency_officer", "observer"]))).toBeUndefined()
    expect(access.refusal(actor("so-khdt", []))).toBeUndefined()
  })

  it("refuses a role claimed from an agency the province does not give it to, naming who may hold it", () => {
    const refused = access.refusal(actor("so-khdt", ["agency_officer", "coordinator_head"]))
    expect(refused).toMatchObject({ code: "CIVICASE_E_ROLE_NOT_HELD", status: 403, role: "coordinator_head", agency: "so-khdt", province: "vinh-phuc", holders: ["so-tttt"] })
    // A role the province does not list is held by no agency at all.
    expect(access.refusal(actor("so-tttt", ["foreign_affairs_head"]))).toMatchObject({ code: "CIVICASE_E_ROLE_NOT_HELD", holders: [] })
  })

  it("refuses another province, an unknown agency and a retired one (naming its successor) as unknown actors", () => {
    expect(access.refusal(actor("so-tttt", ["coordinator_head"], "da-nang"))).toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR", status: 401, claim: "province" })
    expect(access.refusal(actor("so-y-te", ["agency_officer"]))).toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR", claim: "agency" })
    const retired = access.refusal(actor("huyen-tam-dao", ["agency_officer"]))
    expect(retired).toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR", claim: "agency" })
    expect(retired?.message).toContain('its successor is "so-khdt"')
  })

  it("reads names from maps, so a claimed name that is an Object.prototype member is just unknown", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(access.refusal(actor("so-tttt", [name]))?.code).toBe("CIVICASE_E_ROLE_NOT_HELD")
      expect(access.refusal(actor(name, []))?.code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
      expect(access.refusal(actor("so-tttt", [], name))?.code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
    }
  })

  it("takes province-wide roles from the actor's own province's directory", () => {
    expect(access.seesWholeProvince(actor("so-tttt", ["coordinator_head"]))).toBe(true)
    // observer is province-wide by default, but not in this province.
    expect(access.seesWholeProvince(actor("so-khdt", ["observer"]))).toBe(false)
    // A refused actor sees nothing, even with a wide role.
    expect(access.seesWholeProvince(actor("so-khdt", ["province_leader"]))).toBe(false)
    expect(access.canSee(actor("so-khdt", ["province_leader"]), "vinh-phuc", ["so-khdt"])).toBe(false)
    expect(access.canSee(actor("so-khdt", ["agency_officer"]), "vinh-phuc", ["so-khdt"])).toBe(true)
    expect(access.denial(actor("so-khdt", ["coordinator_head"]), { roles: ["coordinator_head"], agency: "any" }, undefined)).toContain("not held by agency so-khdt")
  })
})

describe("the system actor", () => {
  const access = new AccessPolicy({ provinces: { "vinh-phuc": directory } })

  it("is recognised by identity: the issued object passes, a look-alike or a copy is refused", () => {
    const system = access.systemActor("vinh-phuc")
    expect(system).toEqual({ id: SYSTEM_ROLE, province: "vinh-phuc", agency: SYSTEM_ROLE, roles: [SYSTEM_ROLE] })
    expect(access.systemActor("vinh-phuc")).toBe(system)
    expect(access.isSystem(system)).toBe(true)
    expect(access.refusal(system)).toBeUndefined()
    expect(access.seesWholeProvince(system)).toBe(true)
    expect(access.canSee(system, "vinh-phuc", [])).toBe(true)
    expect(access.canSee(system, "da-nang", [])).toBe(false)
    for (const forged of [{ ...system }, { ...system, roles: [...system.roles] }, JSON.parse(JSON.stringify(system))]) {
      expect(access.isSystem(forged)).toBe(false)
      expect(access.refusal(forged)).toMatchObject({ code: "CIVICASE_E_UNKNOWN_ACTOR", claim: "system" })
      expect(access.denial(forged, { roles: ["coordinator_head"] }, undefined)).toBeDefined()
    }
  })

  it("cannot be changed into another province's, nor be taken from another policy", () => {
    const system = access.systemActor("vinh-phuc")
    const writable = system as unknown as { province: string; roles: string[] }
    expect(() => {
      writable.province = "da-nang"
    }).toThrow(TypeError)
    expect(() => writable.roles.push("coordinator_head")).toThrow(TypeError)
    const other = new AccessPolicy()
    expect(other.isSystem(system)).toBe(false)
    expect(other.refusal(system)?.code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
  })

  it("reserves the role, id and agency system for it", () => {
    const open = new AccessPolicy()
    expect(open.refusal(actor("so-tttt", ["coordinator", "system"]))?.code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
    expect(open.refusal(actor("so-tttt", ["coordinator"], "vinh-phuc", "system"))?.code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
    expect(open.refusal(actor("system", ["coordinator"]))?.code).toBe("CIVICASE_E_UNKNOWN_ACTOR")
  })
})

describe("AccessPolicy without a directory", () => {
  const open = new AccessPolicy({ provinceWideRoles: ["coordinator"] })

  it("admits any province and agency, each actor seeing only its own province", () => {
    expect(open.provinces()).toBeUndefined()
    const elsewhere = actor("anything", ["coordinator"], "elsewhere")
    expect(open.refusal(elsewhere)).toBeUndefined()
    expect(open.canSee(elsewhere, "elsewhere", [])).toBe(true)
    expect(open.canSee(elsewhere, "vinh-phuc", [])).toBe(false)
  })

  it("refuses a malformed actor with a ValidationError naming each bad path", () => {
    const bad = { id: "", province: 7, agency: "x".repeat(201), roles: ["ok", "", 3] } as unknown as Actor
    const refused = open.refusal(bad)
    expect(refused?.code).toBe("CIVICASE_E_VALIDATION")
    expect((refused as unknown as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(["/actor/id", "/actor/province", "/actor/agency", "/actor/roles/1", "/actor/roles/2"])
    expect(open.refusal(null as unknown as Actor)?.code).toBe("CIVICASE_E_VALIDATION")
    expect(open.refusal(actor("a", Array.from({ length: 51 }, (_, i) => `r${i}`)))?.code).toBe("CIVICASE_E_VALIDATION")
  })
})

describe("the engine's provinces option", () => {
  it("is checked when the engine is created, with every problem by path", () => {
    let error: any
    try {
      createEngine({
        store: { name: "none", capabilities: { concurrentConnections: false, listenNotify: false, durable: false }, createDialect: () => ({}) as never },
        workflows: [demoWorkflow],
        provinces: {
          "vinh-phuc": { agencies: ["so-tttt", "system"], retired: { "so-tttt": "nowhere" }, roles: { system: ["so-tttt"], coordinator: ["so-y-te", "*"] } },
          "da-nang": { agencies: "so-tttt" } as never,
        },
      })
    } catch (e) {
      error = e
    }
    expect(error?.code).toBe("CIVICASE_E_INVALID_CONFIG")
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([
      "/provinces/vinh-phuc/agencies",
      "/provinces/vinh-phuc/retired/so-tttt",
      "/provinces/vinh-phuc/retired/so-tttt",
      "/provinces/vinh-phuc/roles/system",
      "/provinces/vinh-phuc/roles/coordinator/0",
      "/provinces/da-nang/agencies",
    ])
  })
})
