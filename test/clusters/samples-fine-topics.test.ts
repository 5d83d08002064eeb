// Fine clusters (min_cluster_size 3 splits each of the sample traces' 8 intents by phrasing: 37
// clusters) still get intent-level topics: the automatic count judges the first merge against the
// clusters' own spread, the clusters are grouped by their words (c-TF-IDF), and noise points as
// close to a topic as its own members join it. Plus a held-out case the rules were not tuned on:
// another format and a subset of the intents with unbalanced sizes (bench/topics-heldout.ts has more).
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { pickTraces, runSamplePipeline, sampleTruth, writeSubset } from './samples'

const tmp = tempDir('sightline-fine-topics-')
afterAll(() => tmp.cleanup())

it('37 fine clusters of 8 intents: about 8 topics, topics ARI ≥ 0.80 (the noise mostly placed)', async () => {
  const [r] = await runSamplePipeline({ db: path.join(tmp.dir, 'fine.db'), files: writeSubset('posthog', undefined, tmp.dir), truth: sampleTruth('posthog'), levels: [3] })
  console.log(`fine: ${JSON.stringify(r)}`)
  expect(r!.clusters).toBeGreaterThan(2 * r!.intents) // the case: clusters split intents
  expect(r!.topics).toBeGreaterThanOrEqual(r!.intents / 2)
  expect(r!.topics).toBeLessThanOrEqual(r!.intents * 1.5)
  expect(r!.ari_topics).toBeGreaterThanOrEqual(0.8)
  expect(r!.topic_noise).toBeLessThan(r!.noise)
}, 300_000)

it('held out: otel-genai, 6 of the 8 intents, fine level: topics ARI ≥ 0.80', async () => {
  const intents = ['refund_request', 'password_reset', 'product_question', 'airline_complaint', 'travel_planning', 'data_privacy']
  const keep = pickTraces('otel-genai', { intents })
  const [r] = await runSamplePipeline({ db: path.join(tmp.dir, 'held-out.db'), files: writeSubset('otel-genai', keep, path.join(tmp.dir, 'held-out')), truth: sampleTruth('otel-genai'), levels: [3] })
  console.log(`held out: ${JSON.stringify(r)}`)
  expect(r!.intents).toBe(6)
  expect(r!.ari_topics).toBeGreaterThanOrEqual(0.8)
}, 300_000)
