// Timestamps no reader could show (1e308, 2^53+1, past JavaScript's date range): the importer
// skips those events and says so in `skipped`; what is stored stays readable by every reader.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { importOne, samplesDir, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())

/** Written as JSON text, not as JS numbers: 2^53+1 must reach the parser as the file has it. */
const HOSTILE = ['1e308', '9007199254740993', '8640000000000001', '253402300800000']
const REASON = 'timestamp out of range (after year 9999)'

/** Every stored time column: each must make a valid Date (what `sightline sessions` and the UI do). */
function storedTimes(store: Store): number[] {
  const cols: [string, string][] = [
    ['sessions', 'start_ms'],
    ['sessions', 'end_ms'],
    ['session_windows', 'first_ms'],
    ['session_windows', 'last_ms'],
    ['snapshot_chunks', 'start_ms'],
    ['snapshot_chunks', 'end_ms'],
    ['events', 'time_ms'],
    ['traces', 'start_ms'],
    ['traces', 'end_ms'],
    ['spans', 'start_ms'],
    ['spans', 'end_ms'],
  ]
  return cols.flatMap(([table, col]) => (store.db.prepare(`SELECT ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL`).all() as { v: number }[]).map((r) => r.v))
}

function readable(store: Store): void {
  for (const v of storedTimes(store)) expect(() => new Date(v).toISOString(), String(v)).not.toThrow()
  for (const s of store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1000, offset: 0 }).rows) {
    expect(() => new Date(s.end_ms).toISOString(), s.id).not.toThrow()
  }
}

describe('out-of-range timestamps', () => {
  it.each(HOSTILE)('an rrweb event at %s is skipped and reported', async (ts) => {
    const store = withStore(t.dir, `rrweb-${ts}.db`)
    const events = JSON.parse(fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.tab2.rrweb.json'), 'utf8')) as { timestamp: number }[]
    const text = '[' + events.map((e, i) => (i === 4 ? JSON.stringify(e).replace(`"timestamp":${e.timestamp}`, `"timestamp":${ts}`) : JSON.stringify(e))).join(',') + ']'
    expect(text).toContain(`"timestamp":${ts}`)
    const f = t.file(`rrweb-${ts}.json`)
    fs.writeFileSync(f, text)
    const r = await importOne(store, f)
    expect(r.error).toBeNull()
    expect(r.snapshot_events).toBe(events.length - 1)
    expect(r.skipped).toContainEqual({ reason: REASON, count: 1 })
    readable(store)
    store.close()
  })

  it.each(HOSTILE)('a product event at %s (timestamp or $time) is skipped and reported', async (ts) => {
    const store = withStore(t.dir, `events-${ts}.db`)
    const lines = fs.readFileSync(path.join(samplesDir, 'S4-two-tabs.posthog-events.jsonl'), 'utf8').split('\n').filter(Boolean)
    const product = lines.map((l, i) => [i, JSON.parse(l) as { event: string; timestamp: unknown }] as const).filter(([, e]) => e.event !== '$snapshot')
    const [a, b] = [product[1]![0], product[2]![0]]
    const ea = JSON.parse(lines[a]!) as { timestamp: unknown; properties: Record<string, unknown> }
    ea.timestamp = '@TS@'
    delete ea.properties.$time // else its $time stands in
    lines[a] = JSON.stringify(ea).replace('"@TS@"', ts)
    const eb = JSON.parse(lines[b]!) as { timestamp?: unknown; properties: Record<string, unknown> }
    delete eb.timestamp
    eb.properties.$time = '@TS@'
    lines[b] = JSON.stringify(eb).replace('"@TS@"', ts)
    const f = t.file(`events-${ts}.jsonl`)
    fs.writeFileSync(f, lines.join('\n') + '\n')
    const r = await importOne(store, f)
    expect(r.error).toBeNull()
    expect(r.events).toBe(product.length - 2)
    expect(r.skipped).toContainEqual({ reason: REASON, count: 2 })
    readable(store)
    store.close()
  })

  it('an OTLP span ending past year 9999 keeps its trace, without the unreadable time', async () => {
    const store = withStore(t.dir, 'otlp.db')
    const doc = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: '0102030405060708090a0b0c0d0e0f10', spanId: '0102030405060708', name: 'chat', startTimeUnixNano: '1795370000000000000', endTimeUnixNano: '9007199254740993000000', attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }] },
              ],
            },
          ],
        },
      ],
    }
    const f = t.file('far.otlp.json')
    fs.writeFileSync(f, JSON.stringify(doc))
    const r = await importOne(store, f)
    expect(r.error).toBeNull()
    expect(r.spans).toBe(1)
    readable(store)
    store.close()
  })
})
