import type { ValidationIssue } from "../errors/errors.js"
import type { ProvinceDirectory } from "../engine/province-directory.js"
import type { WorkflowDefinition } from "../workflow/define-workflow.js"

/**
 * What one version of a province's configuration gives the engine: the
 * workflows new cases start on (their deadlines, calendar, roles), and who
 * may act in the province.
 *
 * @example
 * const compiled: CompiledConfiguration = { province: "vinh-phuc", workflows: workflows(p), directory: provinceDirectory(p), warnings: [] }
 */
export interface CompiledConfiguration {
  /** The province the content configures; it must be the engine's `configuration.province`. */
  readonly province: string
  readonly workflows: ReadonlyArray<WorkflowDefinition>
  readonly directory: ProvinceDirectory
  /** What `check-config` warns of (accepted, printed with the diff). */
  readonly warnings?: ReadonlyArray<ValidationIssue>
}

/**
 * The engine's `configuration` option: a province configuration that can be
 * replaced at run time (`engine.config.apply`), stored with its history in
 * civicase_config_versions. `provinceConfiguration(province)` of
 * `@civicase/workflows` builds it from a province file.
 *
 * @example
 * createEngine({ store, ...provinceEngineOptions(province), configuration: provinceConfiguration(province) })
 */
export interface ConfigurationOptions {
  /** The province id whose configuration this is. */
  readonly province: string
  /** The configuration the engine was started with (`serve --province FILE`), used until a version is stored and as the base of the first diff. */
  readonly initial: unknown
  /** Checks a configuration and compiles it; throws `InvalidConfigError` listing every problem by path. */
  readonly compile: (content: unknown) => CompiledConfiguration
  /** Roles of the province that may read and apply its configuration; default `["coordinator_head", "coordinator"]`. */
  readonly roles?: ReadonlyArray<string>
  /**
   * How often (ms) each process compares its version with the newest stored
   * one, besides LISTEN/NOTIFY when the driver has it; default 30000, 0 never.
   */
  readonly pollMs?: number
}
