import { type WorkflowDefinition, defineWorkflow } from "@civicase/core"
import { assign } from "xstate"
import type { Province } from "../../province/types.js"
import { pressResponseWorkflowV1 } from "../index.js"
import type { PressResponseContext } from "../machine.js"
import { publishV2Schema } from "./channels.js"

/** What a version 2 publication records: version 1's, and the outlets asked to publish a reply or correction. */
export type PublicationV2 = NonNullable<PressResponseContext["publication"]> & {
  readonly requests: ReadonlyArray<{ readonly outlet: string; readonly kind: "reply" | "correction" | "apology"; readonly article?: string }>
}

/**
 * The `press-response` workflow, version 2: version 1's process, publishing
 * through the channels of Nghị định 09/2017/NĐ-CP on government spokespeople
 * (Điều 4: press conference, the portal or official social media page, a
 * statement or interview, a press release or written reply, a press briefing,
 * and a written request that an outlet publish a reply, correction or
 * apology, which names the outlets). New cases start here; version 1
 * (`pressResponseWorkflowV1`) runs the cases started on it.
 *
 * @example
 * await engine.send(id, { type: "PUBLISH", payload: { channels: ["correction_request"], publishedAt, requests: [{ outlet: "Báo X", kind: "correction" }] } }, spokesperson)
 */
export function pressResponseWorkflow(province: Province): WorkflowDefinition {
  const v1 = pressResponseWorkflowV1(province)
  const machine = v1.machine.provide({
    actions: {
      recordPublication: assign(({ event }: { event: any }) => ({
        publication: {
          by: event.actor.id,
          agency: event.actor.agency,
          channels: event.payload.channels as string[],
          publishedAt: event.payload.publishedAt as string,
          links: (event.payload.links ?? []) as string[],
          requests: (event.payload.requests ?? []) as PublicationV2["requests"],
        },
      })) as any,
    },
  })
  return defineWorkflow({
    ...v1,
    version: 2,
    machine,
    events: { ...v1.events, PUBLISH: publishV2Schema },
    // The same deadlines, named to the values they read, for the generated documentation.
    deadlines: Object.fromEntries(
      Object.entries(v1.deadlines ?? {}).map(([name, spec]) => [name, { ...spec, configPath: name === "reopenWindow" ? "/workflows/press-response/reopenWindow" : "/workflows/press-response/deadlines" }]),
    ),
    labels: {
      ...v1.labels,
      description: {
        vi: "Tiếp nhận, phân loại, xác minh, soạn thảo, phê duyệt và công bố thông tin chính thức về sự cố nhạy cảm, thông tin sai sự thật hoặc yêu cầu của báo chí nước ngoài, theo các hình thức phát ngôn của Nghị định 09/2017/NĐ-CP (họp báo, cổng thông tin, phỏng vấn, thông cáo, giao ban báo chí, đề nghị báo chí đăng phản hồi, cải chính).",
        en: "Receive, triage, verify, draft, approve and publish official information on a sensitive incident, false information or a foreign press request, through the channels of Decree 09/2017/NĐ-CP (press conference, portal, interview, press release, press briefing, asking an outlet to publish a reply or correction).",
      },
      events: { ...v1.labels.events, PUBLISH: { vi: "Công bố, cung cấp thông tin", en: "Publish or give the information" } },
    },
  })
}
