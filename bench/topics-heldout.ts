// Topics against intents on data the automatic topic cut was not tuned on: subsets of the sample
// traces' intents (some dropped, other mixes, unbalanced sizes), each trace format, and fine
// levels (min_cluster_size 3, 4, the default). Each case runs the whole offline pipeline a user
// runs (import → extractive summaries → TF-IDF + SVD embeddings → clusters) on filtered copies of
// the files (test/clusters/samples.ts), then clustering again at the other levels.
//
//   npx tsx bench/topics-heldout.ts [--cases name,name…] [--dims N] [--dump DIR]
//
// --dims clusters in N dimensions (UMAP's clustering layout) instead of the default.
//
// --dump writes each run's vectors (as clustered), cluster labels, membership and intents as JSON
// (for trying topic rules without re-running the pipeline). One case is ~5–10 s CPU.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openCore } from '../electron/core'
import { pickTraces, runSamplePipeline, sampleTruth, writeSubset, type SampleFormat, type SampleScore } from '../test/clusters/samples'

const ALL = ['refund_request', 'password_reset', 'product_question', 'airline_complaint', 'code_help', 'travel_planning', 'small_talk', 'data_privacy']
const without = (...drop: string[]) => ALL.filter((i) => !drop.includes(i))
const LEVELS = [3, 4, undefined]

interface Case {
  name: string
  format: SampleFormat
  intents?: string[]
  share?: Record<string, number>
  levels?: (number | undefined)[]
}

// The tuned-on data is "posthog, all 8 intents, levels 3 and default"; everything else is held out.
const CASES: Case[] = [
  { name: 'posthog-all', format: 'posthog' },
  { name: 'otel-all', format: 'otel-genai' },
  { name: 'openinference-all', format: 'openinference' },
  { name: 'llm-tasks-all', format: 'llm-tasks', levels: [2, 3, undefined] },
  { name: 'drop-privacy', format: 'posthog', intents: without('data_privacy') },
  { name: 'drop-talk-code', format: 'otel-genai', intents: without('small_talk', 'code_help') },
  { name: 'drop-3', format: 'openinference', intents: without('refund_request', 'password_reset', 'travel_planning') },
  { name: 'support-4', format: 'posthog', intents: ['refund_request', 'product_question', 'data_privacy', 'password_reset'] },
  { name: 'travel-code-3', format: 'otel-genai', intents: ['airline_complaint', 'travel_planning', 'code_help'] },
  // One intent 3× another: every other intent keeps a third of its traces.
  { name: 'unbalanced-8', format: 'posthog', share: Object.fromEntries(ALL.map((i, k) => [i, k % 2 ? 1 / 3 : 1])) },
  { name: 'unbalanced-6', format: 'openinference', intents: without('small_talk', 'refund_request'), share: { password_reset: 1 / 3, code_help: 0.5, data_privacy: 1 / 3 } },
]

function argOf(flag: string): string | undefined {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main() {
  const only = argOf('--cases')?.split(',')
  const dump = argOf('--dump')
  const dims = argOf('--dims') ? Number(argOf('--dims')) : undefined
  const cases = only ? CASES.filter((c) => only.includes(c.name)) : CASES
  if (only && cases.length !== only.length) throw new Error(`unknown case in --cases (known: ${CASES.map((c) => c.name).join(', ')})`)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-heldout-'))
  const rows: (SampleScore & { case: string; format: string })[] = []
  try {
    for (const c of cases) {
      const cpu0 = process.cpuUsage()
      const dir = path.join(tmp, c.name)
      const keep = c.intents || c.share ? pickTraces(c.format as Exclude<SampleFormat, 'llm-tasks'>, { ...(c.intents ? { intents: c.intents } : {}), ...(c.share ? { share: c.share } : {}) }) : undefined
      const files = writeSubset(c.format, keep, dir)
      const db = path.join(tmp, `${c.name}.db`)
      const truth = sampleTruth(c.format)
      const scores = await runSamplePipeline({ db, files, truth, levels: c.levels ?? LEVELS, dims })
      const cpu = process.cpuUsage(cpu0)
      for (const s of scores) rows.push({ ...s, case: c.name, format: c.format })
      for (const s of scores) console.error(`${c.name} mcs=${s.level ?? 'default'}: ${s.clusters} clusters → ${s.topics} topics, topics ARI ${s.ari_topics.toFixed(3)}`)
      console.error(`${c.name}: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`)
      if (dump) dumpRuns(db, truth, scores, path.join(dump, c.name))
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  const f = (x: number) => x.toFixed(3)
  console.log('| case | format | traces | intents | min_cluster_size | clusters | noise | purity | clusters ARI | topics | topic noise | topics ARI |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rows)
    console.log(`| ${r.case} | ${r.format} | ${r.points} | ${r.intents} | ${r.level ?? 'default'} | ${r.clusters} | ${(r.noise * 100).toFixed(0)} % | ${f(r.purity)} | ${f(r.ari_clusters)} | ${r.topics} | ${(r.topic_noise * 100).toFixed(0)} % | **${f(r.ari_topics)}** |`)
  const topics = rows.map((r) => r.ari_topics)
  console.log(`\nruns ${rows.length}, topics ARI ≥ 0.80 in ${topics.filter((x) => x >= 0.8).length}, mean ${f(topics.reduce((a, b) => a + b, 0) / topics.length)}, min ${f(Math.min(...topics))}`)
}

/** Each run's clustering input and result, for offline experiments on the topic step. */
function dumpRuns(db: string, truth: Map<string, string>, scores: SampleScore[], dir: string) {
  fs.mkdirSync(dir, { recursive: true })
  const core = openCore({ db, transport: 'cli', secrets: { get: () => undefined } })
  try {
    const model = core.store.embeddings.models()[0]!.model
    const e = core.store.embeddings.load(model)
    for (const s of scores) {
      const run = core.store.clusters.get(s.run_id)!
      const row = new Map(e.ids.map((id, i) => [id, i]))
      const vectors = run.points.map((p) => Array.from(e.data.subarray(row.get(String(p.id))! * e.dim, (row.get(String(p.id))! + 1) * e.dim)))
      const out = { level: s.level ?? null, ids: run.points.map((p) => p.id), intent: run.points.map((p) => truth.get(String(p.id))), cluster: run.points.map((p) => p.cluster), membership: run.points.map((p) => p.membership), vectors }
      fs.writeFileSync(path.join(dir, `mcs-${s.level ?? 'default'}.json`), JSON.stringify(out))
    }
  } finally {
    void core.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
