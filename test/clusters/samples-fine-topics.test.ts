// Fine clusters (min_cluster_size 3 splits each of the sample traces' 8 intents by phrasing: 37
// clusters) still get intent-level topics: the automatic count judges the first merge against the
// clusters' own spread, the clusters are grouped by their words (c-TF-IDF), and noise points as
// close to a topic as its own members join it. Plus a held-out case the rules were not tuned on:
// another trace format at the fine level (bench/topics-heldout.ts has intent subsets, unbalanced sizes);
// five intents whose clusters already are the intents, two of them close by their centroids; and a
// small file (40 conversations).
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

it('held out: openinference (a format the rules were not tuned on), fine level: topics ARI ≥ 0.80', async () => {
  const [r] = await runSamplePipeline({ db: path.join(tmp.dir, 'held-out.db'), files: writeSubset('openinference', undefined, tmp.dir), truth: sampleTruth('openinference'), levels: [3] })
  console.log(`held out: ${JSON.stringify(r)}`)
  expect(r!.clusters).toBeGreaterThan(2 * r!.intents)
  expect(r!.ari_topics).toBeGreaterThanOrEqual(0.8)
}, 300_000)

it('clusters that already are the intents stay apart as topics when their words differ (product_question and data_privacy share an app, tools and wording)', async () => {
  const keep = pickTraces('openinference', { intents: ['product_question', 'airline_complaint', 'code_help', 'small_talk', 'data_privacy'] })
  const [r] = await runSamplePipeline({ db: path.join(tmp.dir, 'five.db'), files: writeSubset('openinference', keep, path.join(tmp.dir, 'five')), truth: sampleTruth('openinference'), levels: [undefined] })
  console.log(`five intents: ${JSON.stringify(r)}`)
  expect(r!.intents).toBe(5)
  expect(r!.topics).toBe(5) // 4 before: the centroids merged product_question and data_privacy (0.778)
  expect(r!.ari_topics).toBeGreaterThanOrEqual(0.95)
}, 300_000)

it('a small file (llm-tasks: 40 conversations, 5 per intent): every intent its own cluster', async () => {
  // 15 neighbours and min_samples 5 blended 3 intents a cluster here (3 clusters, ARI 0.307).
  const [r] = await runSamplePipeline({ db: path.join(tmp.dir, 'small.db'), files: writeSubset('llm-tasks', undefined, tmp.dir), truth: sampleTruth('llm-tasks') })
  console.log(`small: ${JSON.stringify(r)}`)
  expect(r!.points).toBe(40)
  expect(r!.clusters).toBe(8)
  expect(r!.ari_topics).toBeGreaterThanOrEqual(0.95)
}, 300_000)
