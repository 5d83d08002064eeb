// `sightline summarize-traces` and `sightline embed` as scripts use them: --json documents, a
// re-run that does nothing, the estimate of --dry-run, usage errors.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sightlineCli, tempDir } from '../helpers'
import { withSmallTraces } from './helpers'

const tmp = tempDir('sightline-sum-cli-')
const db = path.join(tmp.dir, 'cli.db')

const sightline = sightlineCli(db)

beforeAll(async () => {
  const store = await withSmallTraces(tmp.dir, 'cli.db')
  store.close()
})
afterAll(() => tmp.cleanup())

describe('sightline summarize-traces / embed', () => {
  it('summarizes offline, skips on a re-run, embeds, and says nothing is to do the second time', async () => {
    const dry = await sightline(['summarize-traces', '--provider', 'none', '--dry-run', '--json'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({ provider: 'none', selected: 3, to_summarize: 3, estimated_cost_usd: 0 })
    const first = await sightline(['summarize-traces', '--provider', 'none', '--json'])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ provider: 'none', model: 'extractive', selected: 3, summarized: 3, skipped: 0, failed: [] })
    const again = await sightline(['summarize-traces', '--provider', 'none', '--limit', '2', '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({ selected: 2, summarized: 0, skipped: 2 })
    const embed = await sightline(['embed', '--provider', 'none', '--json'])
    expect(embed.code).toBe(0)
    expect(JSON.parse(embed.stdout)).toMatchObject({ model: 'tfidf-svd', embedded: 3, total: 3, refit: true })
    const text = await sightline(['embed', '--provider', 'none'])
    expect(text.stdout).toMatch(/^0 embedded, 3 unchanged \(of 3\) as tfidf-svd/)
  }, 200_000)

  it('a local server without an embedding model is refused before a job, naming what to set', async () => {
    const r = await sightline(['embed', '--provider', 'openai', '--base-url', 'http://127.0.0.1:9/v1', '--json'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/No embedding model is set for http:\/\/127\.0\.0\.1:9\/v1/)
    expect(r.stderr).toMatch(/nomic-embed-text/)
    const bad = await sightline(['summarize-traces', '--since', 'yesterday-ish'])
    expect(bad.code).toBe(2)
  }, 120_000)
})
