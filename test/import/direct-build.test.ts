// The fast path (events built while the file streams) and the staged path (events sorted in
// SQLite first) must store the same recording: same chunks, hashes and derived events.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DirectBuilds } from '../../electron/import/direct-build'
import type { Store } from '../../electron/store'
import { importOne, samplesDir, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())

/** What a recording is, leaving out where it came from (source rows, file names). */
function recording(store: Store): string {
  const q = (sql: string) => JSON.stringify(store.db.prepare(sql).raw(true).safeIntegers(true).all(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v))
  return [
    q('SELECT session_id, window_id, first_ms, last_ms, first_url, snapshot_events, unplayable FROM session_windows ORDER BY id'),
    q('SELECT w.window_id, seq, start_ms, end_ms, events, has_full_snapshot, full_snapshot_seq, full_snapshot_ms, activity, raw_bytes, data FROM snapshot_chunks c JOIN session_windows w ON w.id = c.window_key ORDER BY c.id'),
    q('SELECT hash, w.window_id FROM snapshot_event_keys k JOIN session_windows w ON w.id = k.window_key ORDER BY hash, w.window_id'),
    q("SELECT uuid, session_id, window_id, time_ms, type, url, el_text, el_selector, properties FROM events WHERE origin = 'rrweb' ORDER BY id"),
  ].join('\n')
}

/** Imports `events` as an rrweb file into a fresh store, fast path allowed or not; says whether it held. */
async function importEvents(name: string, events: unknown[], directBuild: boolean): Promise<{ rec: string; staged: boolean }> {
  const file = t.file(name)
  fs.writeFileSync(file, JSON.stringify(events))
  const store = withStore(t.dir, `${name}-${directBuild}.sqlite`)
  const push = DirectBuilds.prototype.push
  let staged = !directBuild
  DirectBuilds.prototype.push = function (...a) {
    try {
      return push.apply(this, a)
    } catch (e) {
      staged = true
      throw e
    }
  }
  try {
    const r = await importOne(store, file, { directBuild })
    expect(r.error).toBeNull()
    return { rec: recording(store), staged }
  } finally {
    DirectBuilds.prototype.push = push
    store.close()
  }
}

describe('direct builds', () => {
  const events = JSON.parse(fs.readFileSync(path.join(samplesDir, 'S3-search-500-spa.rrweb.json'), 'utf8')) as { timestamp: number }[]
  // Neighbours swapped: within the reorder hold.
  const jitter = [...events]
  for (let i = 1; i + 1 < jitter.length; i += 4) [jitter[i], jitter[i + 1]] = [jitter[i + 1]!, jitter[i]!]
  // An early event at the very end, more than the hold later.
  const straggle = [...events.slice(0, 3), ...events.slice(4), events[3]!]

  it.each([
    ['in order', events, false],
    ['jittered', jitter, false],
    ['straggling', straggle, true],
  ] as const)('%s: the stored recording is the one the staged path stores', async (name, evs, fallsBack) => {
    const direct = await importEvents(`${name}.json`, evs, true)
    expect(direct.staged).toBe(fallsBack)
    const staged = await importEvents(`${name}.json`, evs, false)
    expect(direct.rec).toBe(staged.rec)
  })
})
