// Migration 0170: a database from before noise was left out of the Errors count gets its sessions
// counted again — S6's third-party widget errors no longer count, S2's own TypeErrors still do.
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { openStore } from '../../electron/store'
import errorsWithoutNoise from '../../electron/store/migrations/0170-errors-without-noise'
import { sharedSamples, tempDir } from '../helpers'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('migration 0170: errors without noise', () => {
  it('counts the errors of sessions imported before again', async () => {
    const store = openStore(path.join(tmp.dir, 'old.db'))
    const files = ['S6-thirdparty-widget-errors-purchase-ok.posthog-events.jsonl', 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl']
    const ids: string[] = []
    for (const f of files) {
      const [r] = await importFiles(store, [path.join(sharedSamples, 'sessions', f)])
      expect(r!.error).toBeNull()
      ids.push(r!.session_ids![0]!)
    }
    const now = ids.map((id) => store.sessions.get(id)!.errors)
    expect(now[0]).toBe(0)
    expect(now[1]).toBeGreaterThan(0)
    // As an older version stored them: every error counted.
    store.db.prepare('UPDATE sessions SET errors = 21').run()
    errorsWithoutNoise(store.db)
    expect(ids.map((id) => store.sessions.get(id)!.errors)).toEqual(now)
    store.close()
  })
})
