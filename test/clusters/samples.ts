// The sample traces (../shared/samples/traces: 300 conversations of 8 intents in three trace
// formats, plus 40 llm-task conversations) through the whole offline pipeline a user runs —
// import → extractive summaries → TF-IDF + SVD embeddings → clusters — scored against their
// intents. A subset of the intents (or of each intent's traces) is written as filtered copies of
// the files, so the import reads what a user's file of only those conversations would hold.
// Shared by the samples tests and bench/topics-heldout.ts.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { App } from '../../electron/app'
import { openCore } from '../../electron/core'
import { ari } from '../cluster/blobs'
import { sharedSamples } from '../helpers'

export const samplesDir = path.join(sharedSamples, 'traces')

export type SampleFormat = 'posthog' | 'otel-genai' | 'openinference' | 'llm-tasks'

export const SAMPLE_FILES: Record<SampleFormat, string[]> = {
  posthog: ['posthog-events.jsonl'],
  'otel-genai': ['otel-genai.traces.otlp.jsonl', 'otel-genai.logs.otlp.jsonl.gz'],
  openinference: ['openinference.otlp.json.gz'],
  'llm-tasks': ['llm-tasks.jsonl'],
}

interface LlmTaskTruth {
  session_id: string | null
  first_input: string
  intent: string
}
type Labels = Record<Exclude<SampleFormat, 'llm-tasks'>, Record<string, string>> & { 'llm-tasks': LlmTaskTruth[] }

let labelsCache: Labels | null = null
function labels(): Labels {
  return (labelsCache ??= JSON.parse(fs.readFileSync(path.join(samplesDir, 'labels.json'), 'utf8')) as Labels)
}

/** Intent of every trace id the import of `format` makes (llm-tasks: its session id, or the uuid of a session-less conversation's first task). */
export function sampleTruth(format: SampleFormat): Map<string, string> {
  if (format !== 'llm-tasks') return new Map(Object.entries(labels()[format]))
  const truth = labels()['llm-tasks']
  const byFirst = new Map(truth.map((t) => [t.first_input, t.intent]))
  const out = new Map<string, string>()
  for (const t of truth) if (t.session_id) out.set(t.session_id, t.intent)
  // A task without a session: its ChatML history's first user message is the conversation's first input.
  for (const line of fs.readFileSync(path.join(samplesDir, 'llm-tasks.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue
    const ev = JSON.parse(line) as { event: string; uuid: string; properties: Record<string, unknown> }
    if (ev.event !== 'llm-task' || ev.properties.$session_id) continue
    const input = ev.properties.$llm_input
    const first = Array.isArray(input) ? (input as { role: string; content: string }[]).find((m) => m.role === 'user')?.content : String(input)
    const intent = first === undefined ? undefined : byFirst.get(first)
    if (intent) out.set(ev.uuid, intent)
  }
  return out
}

/**
 * Trace ids of `format` to keep: per intent in `intents` (all when omitted), the first
 * round(share × count) of its traces in the file's order (share 1 when the intent has none).
 */
export function pickTraces(format: Exclude<SampleFormat, 'llm-tasks'>, o: { intents?: string[]; share?: Record<string, number> } = {}): Set<string> {
  const byIntent = new Map<string, string[]>()
  for (const [id, intent] of Object.entries(labels()[format])) {
    if (o.intents && !o.intents.includes(intent)) continue
    byIntent.set(intent, [...(byIntent.get(intent) ?? []), id])
  }
  const keep = new Set<string>()
  for (const [intent, ids] of byIntent) for (const id of ids.slice(0, Math.max(1, Math.round((o.share?.[intent] ?? 1) * ids.length)))) keep.add(id)
  return keep
}

const readText = (file: string) => (file.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(file)).toString('utf8') : fs.readFileSync(file, 'utf8'))

type Otlp = Record<string, { scopeSpans?: { spans: { traceId: string }[] }[]; scopeLogs?: { logRecords: { traceId?: string }[] }[] }[]>

/** An OTLP export request with only the spans / log records of the kept traces. */
function filterOtlp(req: Otlp, keep: Set<string>): Otlp {
  const out: Otlp = {}
  for (const [key, resources] of Object.entries(req)) {
    out[key] = resources
      .map((r) => ({
        ...r,
        ...(r.scopeSpans ? { scopeSpans: r.scopeSpans.map((s) => ({ ...s, spans: s.spans.filter((x) => keep.has(x.traceId)) })).filter((s) => s.spans.length) } : {}),
        ...(r.scopeLogs ? { scopeLogs: r.scopeLogs.map((s) => ({ ...s, logRecords: s.logRecords.filter((x) => x.traceId !== undefined && keep.has(x.traceId)) })).filter((s) => s.logRecords.length) } : {}),
      }))
      .filter((r) => (r.scopeSpans ?? r.scopeLogs ?? []).length)
  }
  return out
}

/** Copies of `format`'s files in `dir` holding only the traces in `keep` (the originals when keep is undefined). */
export function writeSubset(format: SampleFormat, keep: Set<string> | undefined, dir: string): string[] {
  const files = SAMPLE_FILES[format].map((f) => path.join(samplesDir, f))
  if (!keep) return files
  if (format === 'llm-tasks') throw new Error('llm-tasks: subsets are not supported (40 conversations)')
  fs.mkdirSync(dir, { recursive: true })
  return files.map((file) => {
    const text = readText(file)
    let out: string
    if (format === 'posthog') {
      out = text
        .split('\n')
        .filter((l) => l.trim() && keep.has(String((JSON.parse(l) as { properties: Record<string, unknown> }).properties.$ai_trace_id)))
        .join('\n')
    } else if (format === 'openinference') out = JSON.stringify(filterOtlp(JSON.parse(text) as Otlp, keep))
    else
      out = text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => filterOtlp(JSON.parse(l) as Otlp, keep))
        .filter((r) => Object.values(r).some((x) => x.length))
        .map((r) => JSON.stringify(r))
        .join('\n')
    const name = path.join(dir, path.basename(file).replace(/\.gz$/, ''))
    fs.writeFileSync(name, out + '\n')
    return name
  })
}

/** Share of the clustered points whose group's most common intent is theirs. */
export function purity(groups: number[], truth: string[]): number {
  const by = new Map<number, Map<string, number>>()
  groups.forEach((g, i) => {
    if (g < 0) return
    const m = by.get(g) ?? new Map<string, number>()
    m.set(truth[i]!, (m.get(truth[i]!) ?? 0) + 1)
    by.set(g, m)
  })
  let top = 0
  let all = 0
  for (const m of by.values()) {
    top += Math.max(...m.values())
    for (const v of m.values()) all += v
  }
  return all ? top / all : 1
}

export interface SampleScore {
  /** min_cluster_size asked for (undefined: the default). */
  level: number | undefined
  run_id: string
  points: number
  intents: number
  clusters: number
  topics: number
  /** Share of points that are noise at the cluster level, and at the topic level. */
  noise: number
  topic_noise: number
  purity: number
  ari_clusters: number
  ari_topics: number
}

/**
 * Imports `files` into a new database at `db`, runs "Run clustering" (offline) at the first
 * level and clustering again on the same embeddings at the others, as a user changing
 * min_cluster_size would; scores each run against `truth`.
 */
export async function runSamplePipeline(o: { db: string; files: string[]; truth: Map<string, string>; levels?: (number | undefined)[]; dims?: number }): Promise<SampleScore[]> {
  const core = openCore({ db: o.db, transport: 'cli', secrets: { get: () => undefined } })
  try {
    const app = new App(core)
    await app.complete('import:files', { files: o.files })
    const levels = o.levels ?? [undefined]
    const out: SampleScore[] = []
    let model: string | undefined
    for (const level of levels) {
      const mcs = level === undefined ? {} : { min_cluster_size: level }
      let runId: string | undefined
      // The pipeline a user runs first (at the default dimension); later levels, and every level at
      // another dimension, cluster its embeddings again.
      if (model === undefined) ({ model, run_id: runId } = await app.complete('clusters:pipeline', mcs))
      if (runId === undefined || o.dims) runId = (await app.complete('cluster:run', { model, ...mcs, ...(o.dims ? { dims: o.dims } : {}) })).run_id
      const run = core.store.clusters.get(runId)!
      const truth = run.points.map((p) => o.truth.get(String(p.id)))
      const missing = run.points.find((_, i) => !truth[i])
      if (missing) throw new Error(`no intent known for trace ${String(missing.id)}`)
      const names = [...new Set(truth as string[])]
      const intent = truth.map((t) => names.indexOf(t!))
      const clusters = run.points.map((p) => p.cluster)
      const topics = run.points.map((p) => p.topic)
      const n = clusters.length
      out.push({
        level,
        run_id: runId,
        points: n,
        intents: names.length,
        clusters: run.clusters.filter((c) => c.id >= 0).length,
        topics: run.topics.filter((t) => t.id >= 0).length,
        noise: clusters.filter((c) => c < 0).length / n,
        topic_noise: topics.filter((c) => c < 0).length / n,
        purity: purity(clusters, truth as string[]),
        ari_clusters: ari(intent, clusters),
        ari_topics: ari(intent, topics),
      })
    }
    return out
  } finally {
    await core.close()
  }
}
