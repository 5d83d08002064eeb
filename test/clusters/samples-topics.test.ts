// Topics against the sample traces' ground truth (../shared/samples/traces/labels.json: 300
// conversations of 8 intents), through the whole offline pipeline a user runs: import → extractive
// summaries → TF-IDF + SVD embeddings → clustering ("Run clustering", clusters:pipeline). The
// issue's bar: topics ARI ≥ 0.80 against the intents; the fine clusters stay pure (≥ 0.95) with
// at most 15 % noise. The numbers are printed.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { runSamplePipeline, sampleTruth, writeSubset } from './samples'

const tmp = tempDir('sightline-sample-topics-')
afterAll(() => tmp.cleanup())

for (const format of ['posthog', 'otel-genai'] as const) {
  describe(`topics on the ${format} samples`, () => {
    it('offline pipeline: topics ARI ≥ 0.80 against the intents, pure clusters, little noise', async () => {
      const [r] = await runSamplePipeline({ db: path.join(tmp.dir, `${format}.db`), files: writeSubset(format, undefined, tmp.dir), truth: sampleTruth(format) })
      console.log(`${format}: ${JSON.stringify(r)}`)
      expect(r!.points).toBe(300)
      expect(r!.ari_topics).toBeGreaterThanOrEqual(0.8)
      expect(r!.purity).toBeGreaterThanOrEqual(0.95)
      expect(r!.noise).toBeLessThanOrEqual(0.15)
    }, 300_000)
  })
}
