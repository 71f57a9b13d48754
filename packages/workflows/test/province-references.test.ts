import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { type Province, loadProvince, provinceFiles, sanctionSigners, workflows } from "@civicase/workflows"
import { provinceIssues } from "./support.js"

const vinhPhuc = (): any => JSON.parse(readFileSync(provinceFiles.vinhPhuc, "utf8"))
const label = { vi: "Nhãn", en: "Label" }

describe("every cross-reference of a province file is checked, at its path (civicase check-config)", () => {
  it("names each dangling or reserved reference where it is", () => {
    const bad = vinhPhuc()
    const agency = (id: string) => bad.agencies.findIndex((a: { id: string }) => a.id === id)
    bad.agencies.push({ id: "system", kind: "other", names: label })
    bad.agencies[agency("so-tttt")].kind = "department"
    bad.agencies[agency("huyen-tam-dao")].retired = { on: "2025-07-01", successor: "tp-vinh-yen" }
    bad.roles.inspector = ["so-tttt", "huyen-tam-dao"]
    bad.roles.system = ["so-tttt"]
    delete bad.roles.council_secretary
    bad.provinceWideRoles = ["coordinator", "foreign_affairs_head"]
    bad.labels.roles.ghost = label
    const press = bad.workflows["press-response"]
    press.approvalChains.high = ["coordinator_head", "foreign_affairs_head"]
    press.escalationChain = ["coordinator", "duty_officer"]
    press.categories.push({ ...press.categories[0] })
    const violation = bad.workflows.violation
    violation.penalties.push({ ...violation.penalties[0] })
    violation.penalties[1].fine = { min: 9_000_000, max: 1_000_000 }
    const commendation = bad.workflows.commendation
    commendation.awards.push({ ...commendation.awards[0] })
    commendation.council.quorum = commendation.council.members + 1

    const issues = provinceIssues(bad)
    const at = (path: string) => issues.filter((i) => i.path === path).map((i) => i.message)
    expect(at(`/agencies/${bad.agencies.length - 1}/id`)).toEqual(['"system" is reserved for the engine\'s own actor'])
    expect(at("/agencies")).toEqual([expect.stringContaining("must include an active agency of kind lead_department")])
    expect(at("/roles/inspector/1")).toEqual(['names the retired agency "huyen-tam-dao"; give the role to its successor "tp-vinh-yen"'])
    expect(at("/roles/system")).toEqual(['the role "system" is the engine\'s own and cannot be given to an agency'])
    expect(at("/roles/council_secretary")).toEqual(["must say which agencies hold the role council_secretary"])
    expect(at("/labels/roles/council_secretary")).toEqual([expect.stringContaining('labels the role "council_secretary", which no agency holds')])
    expect(at("/labels/roles/ghost")).toEqual([expect.stringContaining('labels the role "ghost", which no agency holds')])
    expect(at("/provinceWideRoles/1")).toEqual(['names the role "foreign_affairs_head", which no agency holds (add it to /roles)'])
    expect(at("/workflows/press-response/approvalChains/high/1")).toEqual(['names the role "foreign_affairs_head", which no agency holds (add it to /roles)'])
    expect(at("/workflows/press-response/escalationChain/1")).toEqual(['names the role "duty_officer", which no agency holds (add it to /roles)'])
    expect(at(`/workflows/press-response/categories/${press.categories.length - 1}/id`)).toEqual([
      `duplicates the category "${press.categories[0].id}" at /workflows/press-response/categories/0`,
    ])
    expect(at(`/workflows/violation/penalties/${violation.penalties.length - 1}/id`)).toEqual([
      `duplicates the penalty "${violation.penalties[0].id}" at /workflows/violation/penalties/0`,
    ])
    expect(at("/workflows/violation/penalties/1/fine")).toEqual(["min 9000000 is above max 1000000"])
    expect(at(`/workflows/commendation/awards/${commendation.awards.length - 1}/id`)).toEqual([
      `duplicates the award "${commendation.awards[0].id}" at /workflows/commendation/awards/0`,
    ])
    expect(at("/workflows/commendation/council/quorum")).toEqual([`quorum ${commendation.council.quorum} is above the ${commendation.council.members} members`])
    expect(issues).toHaveLength(15)
  })

  it("requires every role without which some event of the five workflows could be sent by no one", () => {
    const province = loadProvince(provinceFiles.vinhPhuc)
    const defs = workflows(province)
    const given = Object.keys(province.roles)
    // From the definitions: a role is indispensable when some event's permission names no other role the province gives;
    // the violation machine also needs a signature in each sanction signer's role.
    const indispensable = new Set<string>(sanctionSigners)
    for (const def of defs) {
      for (const permission of [def.start, ...Object.values(def.permissions)]) {
        const roles = permission?.roles ?? []
        const held = roles.filter((r) => given.includes(r))
        if (held.length === 1) indispensable.add(held[0]!)
      }
    }
    expect(indispensable.size).toBeGreaterThan(5)
    for (const role of given) {
      const bad = vinhPhuc()
      delete bad.roles[role]
      const required = provinceIssues(bad).some((i) => i.path === `/roles/${role}` && i.message.startsWith("must say which agencies hold"))
      expect(required, `role ${role}`).toBe(indispensable.has(role))
    }
  })

  it("refuses chain roles no agency holds in a province object that did not go through loadProvince", () => {
    const province = loadProvince(provinceFiles.vinhPhuc)
    const press = province.workflows["press-response"] as { approvalChains: Record<string, string[]> }
    const bad: Province = {
      ...province,
      workflows: { ...province.workflows, "press-response": { ...press, approvalChains: { ...press.approvalChains, critical: ["coordinator_head", "foreign_affairs_head"] } } },
    }
    expect(() => workflows(bad)).toThrow(/\/workflows\/press-response\/approvalChains\/critical\/1: names the role "foreign_affairs_head"/)
  })
})
