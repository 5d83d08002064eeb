// The Library's "Rage clicks" chip (`did $rageclick`) finds every session with a rage-click flag,
// not only those whose export carries posthog-js's $rageclick event: the demo is a plain rrweb
// recording whose rage clicks only our detector sees (issue 13).
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { refreshFlags } from '../../electron/sessions'
import { parseFilter } from '../../electron/sessions/filter'
import { openStore } from '../../electron/store'
import { repoRoot, sharedSamples, tempDir } from '../helpers'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('did $rageclick / did $dead_click', () => {
  it('match sessions with a stored rage-click (dead-click) flag as well as those with the event; a denied flag does not count', async () => {
    const store = openStore(path.join(tmp.dir, 'chip.db'))
    try {
      const demo = { file: path.join(repoRoot, 'resources/samples/demo-shop.rrweb.json'), session_id: 'demo' }
      const s2 = path.join(sharedSamples, 'sessions', 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl')
      const happy = path.join(sharedSamples, 'sessions', 'S1-happy-browse-and-buy.rrweb.json')
      const results = await importFiles(store, [demo, s2, happy])
      expect(results.map((r) => r.error)).toEqual([null, null, null])
      const ids = (expr: string) => store.sessions.list({ filter: parseFilter(expr), sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows.map((r) => r.id)
      for (const id of store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows.map((r) => r.id)) refreshFlags(store, id)
      expect(store.events.bySession('demo', { type: '$rageclick' })).toHaveLength(0)
      expect(ids('did $rageclick')).toEqual(expect.arrayContaining(['demo', '01a208fc-2bbd-7b65-818f-6f87a86b3f3f']))
      expect(ids('did $rageclick')).toHaveLength(2)
      // With conditions, only events can answer.
      expect(ids('did $rageclick where text = "Place order"')).toEqual(['01a208fc-2bbd-7b65-818f-6f87a86b3f3f'])
      const rage = store.flags.list('demo').find((f) => f.type === 'rage_click')!
      store.flags.setStatus(rage.id, 'denied', 'user', null, 1)
      expect(ids('did $rageclick')).toEqual(['01a208fc-2bbd-7b65-818f-6f87a86b3f3f'])
    } finally {
      store.close()
    }
  })
})
