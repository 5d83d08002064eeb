// Reactions (page loads, mutations, scrolls) recorded per chunk at import are what decoding the
// chunks gives, so dead-click detection reads them instead (migration 0070); chunks stored by an
// older version, without them, are still decoded.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadReactions } from '../../electron/sessions/reactions'
import { importOne, samplesDir, tmp, withStore } from '../import/helpers'

const t = tmp()
afterAll(() => t.cleanup())

const times = (m: Map<string, { times: number[] }>) => Object.fromEntries([...m].map(([w, r]) => [w, r.times.map(Math.round)]))

describe('reactions', () => {
  const files = fs.readdirSync(samplesDir).filter((f) => /\.(rrweb\.json(\.gz)?|posthog-export\.json(\.gz)?|posthog-events\.jsonl)$/.test(f))
  it.each(files)('%s: recorded at import = decoded from the chunks', async (f) => {
    const store = withStore(t.dir, `${f}.db`)
    const r = await importOne(store, path.join(samplesDir, f))
    expect(r.error).toBeNull()
    for (const sid of r.session_ids ?? []) {
      const recorded = times(loadReactions(store, sid))
      expect(Object.values(recorded).flat().length).toBeGreaterThan(0)
      store.db.prepare('UPDATE snapshot_chunks SET reactions = NULL').run()
      expect(times(loadReactions(store, sid))).toEqual(recorded)
    }
    store.close()
  })
})
