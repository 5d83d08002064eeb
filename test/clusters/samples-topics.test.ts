// Topics against the sample traces' ground truth (../shared/samples/traces/labels.json: 300
// conversations of 8 intents), through the whole offline pipeline a user runs: import → extractive
// summaries → TF-IDF + SVD embeddings → clustering ("Run clustering", clusters:pipeline). The
// issue's bar: topics ARI ≥ 0.80 against the intents; the fine clusters stay pure (≥ 0.95) with
// at most 15 % noise. The numbers are printed.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { App } from '../../electron/app'
import { openCore, type Core } from '../../electron/core'
import { ari } from '../cluster/blobs'
import { sharedSamples, tempDir } from '../helpers'

const dir = path.join(sharedSamples, 'traces')
const labels = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Record<string, Record<string, string>>
const tmp = tempDir('sightline-sample-topics-')
afterAll(() => tmp.cleanup())

/** Share of the clustered points whose cluster's most common intent is theirs. */
function purity(groups: number[], truth: string[]): number {
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
  return top / all
}

for (const [format, files] of [
  ['posthog', ['posthog-events.jsonl']],
  ['otel-genai', ['otel-genai.traces.otlp.jsonl', 'otel-genai.logs.otlp.jsonl.gz']],
] as const) {
  describe(`topics on the ${format} samples`, () => {
    let core: Core

    afterAll(async () => {
      await core?.close()
    })

    it('offline pipeline: topics ARI ≥ 0.80 against the intents, pure clusters, little noise', async () => {
      core = openCore({ db: path.join(tmp.dir, `${format}.db`), transport: 'cli', secrets: { get: () => undefined } })
      const app = new App(core)
      await app.complete('import:files', { files: files.map((f) => path.join(dir, f)) })
      const out = await app.complete('clusters:pipeline', {})
      expect(out.points).toBe(300)
      const run = core.store.clusters.get(out.run_id)!
      const truth = run.points.map((p) => labels[format]![String(p.id)]!)
      expect(truth.every(Boolean)).toBe(true)
      const names = [...new Set(truth)]
      const intent = truth.map((t) => names.indexOf(t))
      const clusters = run.points.map((p) => p.cluster)
      const topics = run.points.map((p) => p.topic)
      const noise = clusters.filter((c) => c < 0).length / clusters.length
      const r = { clusters: out.clusters, topics: run.topics.filter((t) => t.id >= 0).length, noise, purity: purity(clusters, truth), ari_clusters: ari(intent, clusters), ari_topics: ari(intent, topics) }
      console.log(`${format}: ${JSON.stringify(r)}`)
      expect(r.ari_topics).toBeGreaterThanOrEqual(0.8)
      expect(r.purity).toBeGreaterThanOrEqual(0.95)
      expect(noise).toBeLessThanOrEqual(0.15)
    }, 300_000)
  })
}
