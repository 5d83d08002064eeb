// Session identity of files without ids (plain rrweb arrays): named after their content, so two
// saves of one recording merge and two different recordings never do, even when both start with
// the same Meta event at the same millisecond (issue 13: two recordings of rrweb's own test suite
// became one 39-second session, and an event of the second was skipped as "already imported").
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { samplesDir, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())
type Ev = { type: number; timestamp: number; data: unknown }
const read = (n: string) => JSON.parse(fs.readFileSync(path.join(samplesDir, n), 'utf8')) as Ev[]
const sessions = (store: ReturnType<typeof withStore>) => store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 10, offset: 0 })

describe('rrweb files without session ids', () => {
  it('two different recordings that start with the same Meta at the same millisecond stay two sessions, every event kept', async () => {
    const a = read('S1-happy-browse-and-buy.rrweb.json')
    const b = read('S3-search-500-spa.rrweb.json')
    // b moved to a's start, its first page-load events (DomContentLoaded, Load, Meta) made identical to a's.
    const shift = a[0]!.timestamp - b[0]!.timestamp
    const moved = b.map((e) => ({ ...e, timestamp: e.timestamp + shift }))
    const metaA = a.findIndex((e) => e.type === 4)
    const metaB = moved.findIndex((e) => e.type === 4)
    expect(a.slice(0, metaA + 1).map((e) => e.type)).toEqual(moved.slice(0, metaB + 1).map((e) => e.type))
    const second = [...a.slice(0, metaA + 1), ...moved.slice(metaB + 1)]
    fs.writeFileSync(t.file('a.json'), JSON.stringify(a))
    fs.writeFileSync(t.file('b.json'), JSON.stringify(second))
    const store = withStore(t.dir, 'two.db')
    const [ra, rb] = await importFiles(store, [t.file('a.json'), t.file('b.json')])
    expect(ra).toMatchObject({ error: null, snapshot_events: a.length })
    expect(rb).toMatchObject({ error: null, already_imported: false, snapshot_events: second.length, sessions: 1 })
    const list = sessions(store)
    expect(list.total).toBe(2)
    expect(new Set(list.rows.map((r) => r.id)).size).toBe(2)
    expect(list.rows.map((r) => r.snapshot_events).sort((x, y) => x - y)).toEqual([a.length, second.length].sort((x, y) => x - y))
    store.close()
  })

  it('two saves of one recording (an early save, then the whole) are one session', async () => {
    const ev = read('S1-happy-browse-and-buy.rrweb.json')
    fs.writeFileSync(t.file('early.json'), JSON.stringify(ev.slice(0, Math.floor(ev.length / 3))))
    fs.writeFileSync(t.file('whole.json'), JSON.stringify(ev))
    const store = withStore(t.dir, 'saves.db')
    const [r1, r2] = await importFiles(store, [t.file('early.json'), t.file('whole.json')])
    expect(r1!.error).toBeNull()
    expect(r2).toMatchObject({ error: null, sessions: 1, snapshot_events: ev.length - Math.floor(ev.length / 3) })
    expect(sessions(store).total).toBe(1)
    expect(sessions(store).rows[0]).toMatchObject({ snapshot_events: ev.length })
    store.close()
  })
})
