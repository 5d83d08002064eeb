// The offline path on the real samples (../shared/samples/traces, ground truth in labels.json):
// extractive summaries with real line refs, then the offline embedder fitted on the corpus.
// Traces of the same intent must be nearer each other than to other intents on average, and the
// TF-IDF + SVD embedder must separate them better than the per-text hashed bag of words it
// replaces (llm/none.ts) — the margins are printed.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddingText } from '../../electron/cluster/embed-text'
import { embedSummaries } from '../../electron/cluster/embed'
import { hashEmbed } from '../../electron/llm/none'
import type { Store } from '../../electron/store'
import { formatTraceText, renderTrace } from '../../electron/traces'
import { summarizeTraces } from '../../electron/traces/summarize-traces'
import { separation } from '../cluster/intent-margin'
import { tempDir } from '../helpers'
import { importOne, readJson, tracesDir, withStore } from './helpers'

const tmp = tempDir('sightline-trace-offline-')
afterAll(() => tmp.cleanup())
const none = { provider: 'none', model: 'heuristics', baseUrl: '', offline: true } as const
const noKeys = { get: () => undefined }
const labels = readJson<Record<string, Record<string, string>>>(path.join(tracesDir, 'labels.json'))

for (const [format, file] of [
  ['posthog', 'posthog-events.jsonl'],
  ['openinference', 'openinference.otlp.json.gz'],
] as const) {
  describe(`offline summaries and embeddings: ${file}`, () => {
    let store: Store
    beforeAll(async () => {
      store = withStore(tmp.dir, `${format}.db`)
      expect((await importOne(store, path.join(tracesDir, file))).traces).toBe(300)
    }, 120_000)
    afterAll(() => store.close())

    it('summarizes every trace extractively, each ref naming the line its text came from', async () => {
      const r = await summarizeTraces(store, noKeys, { llm: none })
      expect(r).toMatchObject({ provider: 'none', model: 'extractive', selected: 300, summarized: 300, failed: [] })
      for (const s of store.traceSummaries.latestAll()) {
        const lines = formatTraceText(renderTrace(store.spans.detail(s.trace_id)!)).text.split('\n')
        const at = (ref: string) => lines.find((l) => l.startsWith(`${ref}: `))?.slice(ref.length + 2).replace(/^\s*- /, '')
        expect(s.kind).toBe('extractive')
        expect(s.title.length).toBeGreaterThan(0)
        expect(s.flow_diagram).toContain('↓')
        const users = s.summary_bullets.filter((b) => b.text.startsWith('User: '))
        expect(users.length, s.trace_id).toBeGreaterThan(0)
        // The title is the first user message's opening words.
        expect(users[0]!.text.slice(6).startsWith(s.title.replace(/…$/, '')), s.trace_id).toBe(true)
        for (const b of [...s.summary_bullets, ...s.interesting_notes]) {
          if (!b.line_refs) continue
          const line = at(b.line_refs)
          expect(line, `${s.trace_id} ${b.line_refs}`).toBeDefined()
          const said = b.text.replace(/^(User|Assistant): |^Called /, '').replace(/…$/, '')
          expect(line!.replace(/\s+/g, ' ').trim().startsWith(said.slice(0, 40)) || said.startsWith(line!.trim().slice(0, 40)), `${s.trace_id} ${b.line_refs}: ${b.text} vs ${line}`).toBe(true)
        }
      }
      // Current summaries are not made again.
      expect(await summarizeTraces(store, noKeys, { llm: none })).toMatchObject({ summarized: 0, skipped: 300 })
    }, 120_000)

    it('embeds offline, fitted on the corpus: same-intent traces nearer than other intents, by more than a hashed bag of words', async () => {
      const r = await embedSummaries(store, noKeys, { llm: none })
      expect(r).toMatchObject({ model: 'tfidf-svd', dim: 64, embedded: 300, refit: true })
      const { ids, dim, data } = store.embeddings.load('tfidf-svd')
      const truth = ids.map((id) => labels[format]![id]!)
      expect(new Set(truth).size).toBe(8)
      const ours = separation(ids.map((_, i) => data.subarray(i * dim, (i + 1) * dim)), truth)
      const texts = store.traceSummaries.latestAll().map(embeddingText)
      const hashed = separation(texts.map(hashEmbed), truth)
      console.log(`${format}: tfidf-svd-64 within ${ours.within.toFixed(3)} between ${ours.between.toFixed(3)} margin ${ours.margin.toFixed(3)} 1-NN ${ours.nn_accuracy.toFixed(3)}; hashed-bow-256 within ${hashed.within.toFixed(3)} between ${hashed.between.toFixed(3)} margin ${hashed.margin.toFixed(3)} 1-NN ${hashed.nn_accuracy.toFixed(3)}`)
      expect(ours.margin).toBeGreaterThan(0.2)
      expect(ours.margin).toBeGreaterThan(hashed.margin)
      // Scale-free: how many times more similar a same-intent pair is than a cross-intent pair.
      expect(ours.within / ours.between).toBeGreaterThan(2 * (hashed.within / hashed.between))
      expect(ours.nn_accuracy).toBeGreaterThan(0.95)
    }, 120_000)

    it('is a corpus-level step: unchanged corpus, nothing done; a grown corpus is fitted again', async () => {
      expect(await embedSummaries(store, noKeys, { llm: none })).toMatchObject({ embedded: 0, skipped: 300, refit: false })
      expect((await importOne(store, path.join(tracesDir, 'llm-tasks.jsonl'))).error).toBeNull()
      const s = await summarizeTraces(store, noKeys, { llm: none })
      expect(s.skipped).toBe(300)
      const r = await embedSummaries(store, noKeys, { llm: none })
      expect(r).toMatchObject({ refit: true, embedded: 300 + s.summarized, total: 300 + s.summarized })
      expect(store.embeddings.load('tfidf-svd').ids).toHaveLength(300 + s.summarized)
    }, 120_000)
  })
}
