/** One sample of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string
  readonly labels: ReadonlyMap<string, string>
  readonly value: number
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** Parses the text exposition format into samples (comments skipped); throws on a line it cannot read. */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue
    const m = SAMPLE.exec(line)
    if (!m) throw new Error(`not a sample line: ${line}`)
    const labels = new Map<string, string>()
    for (const l of (m[2] ?? "").matchAll(LABEL)) labels.set(l[1]!, l[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\"))
    out.push({ name: m[1]!, labels, value: m[3] === "+Inf" ? Infinity : Number(m[3]) })
  }
  return out
}

/** The samples called `name` whose labels include every one of `labels`. */
export function samples(all: ReadonlyArray<Sample>, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels.get(k) === v))
}

/** The value of the one sample called `name` with `labels`; throws when there is not exactly one. */
export function value(all: ReadonlyArray<Sample>, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = samples(all, name, labels)
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`)
  return found[0]!.value
}
