// Two processes pulling from one PostHog host with one key share one rate budget: the real CLI
// twice at once (two databases in one folder), against the fake API with PostHog's free-plan
// snapshot limit of 12 a minute. Together they need 16 snapshot requests: paced per process, each
// would send 8 in the first minute and PostHog would refuse 4; shared, the 13th waits for the minute.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePosthogApi } from '../fakes/posthog-api'
import { syntheticRecording } from '../fakes/posthog-list'
import { sightlineCli, tempDir } from '../helpers'

const tmp = tempDir('sightline-pull-pacing-')
const HOUR = 3_600_000
let api: FakePosthogApi
const since = new Date(Date.now() - 24 * HOUR).toISOString()

beforeAll(async () => {
  api = await new FakePosthogApi().start()
  for (const project of ['901', '902']) for (let i = 0; i < 4; i++) api.add(syntheticRecording(Number(project) * 10 + i, project, Date.now() - (5 - i) * HOUR))
})
afterAll(async () => {
  await api.close()
  tmp.cleanup()
})

/** Pulls a project's recordings into DB; paced, it runs past a minute, so only the test's timeout limits it. */
const pull = (project: string, db: string) =>
  sightlineCli(db, { timeout: 0 })(['pull', '--project', `${api.url}/project/${project}`, '--since', since, '--json'], { POSTHOG_API_KEY: api.apiKey })

describe('pacing across processes', () => {
  it('two CLI pulls at once stay inside one budget: PostHog refuses nothing', async () => {
    const [a, b] = await Promise.all([pull('901', path.join(tmp.dir, 'a.db')), pull('902', path.join(tmp.dir, 'b.db'))])
    for (const r of [a, b]) {
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ pulled: 4, failed: [] })
    }
    expect(api.throttled).toBe(0)
    const snapshots = api.requests.filter((r) => r.path.includes('/snapshots')).map((r) => r.at)
    expect(snapshots).toHaveLength(16)
    // the 13th went out once the first had left PostHog's minute
    expect(snapshots[12]! - snapshots[0]!).toBeGreaterThanOrEqual(60_000 - 1000)
  }, 300_000)
})
