// Heuristic flags against the ground truth of every developer sample: each real problem the file
// shows evidence of is flagged within ±3 s, and the noise session S6 (third-party errors, the
// user succeeds) gets no blocking flag. Happy paths (S1, S4) get no blocking flag either.
import { afterAll, describe, expect, it } from 'vitest'
import { detectFlags, refreshFlags } from '../../electron/sessions'
import { importSample, sampleNames, tempDir } from './helpers'
import { matches, problemsOf } from './recall'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe.each(sampleNames)('%s', (name) => {
  it('flags every problem the file shows, within ±3 s (recall.ts); no blocking flag where there is no problem', async () => {
    const { store, sessionId } = await importSample(tmp.dir, name)
    try {
      const flags = detectFlags(store, sessionId)
      const events = new Map(store.events.bySession(sessionId).map((e) => [e.id, { time_ms: e.time_ms, type: e.type }]))
      const end = store.sessions.get(sessionId)!.end_ms
      const problems = problemsOf(name)
      // Problems with no trace in this format (e.g. a 500 in a product-events CSV) cannot be found.
      for (const p of problems.filter((q) => q.visible)) expect(flags.some((f) => matches(p, f, events, end)), `${p.kind} at ${p.at}`).toBe(true)
      if (problems.length === 0) expect(flags.filter((f) => f.blocking).map((f) => f.title)).toEqual([])
      for (const f of flags) {
        expect(f.evidence.length).toBeGreaterThan(0)
        expect(['high', 'medium', 'low']).toContain(f.severity)
      }
    } finally {
      store.close()
    }
  })
})

describe('stored heuristic flags', () => {
  it('keep their id and status when found again, and carry evidence that exists', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl', 'stored.db')
    try {
      const first = refreshFlags(store, sessionId)
      expect(first.length).toBeGreaterThan(3)
      store.flags.setStatus(first[0]!.id, 'denied', 'user', 'coupon field is a known stub', 1)
      const again = refreshFlags(store, sessionId)
      expect(again.map((f) => f.id)).toEqual(first.map((f) => f.id))
      expect(again[0]).toMatchObject({ status: 'denied', status_by: 'user', status_note: 'coupon field is a known stub' })
      const ids = new Set(store.events.bySession(sessionId).map((e) => e.id))
      for (const f of again) for (const id of f.evidence) expect(ids.has(id)).toBe(true)
      // The S6 avalanche is reported, as noise.
    } finally {
      store.close()
    }
  })

  it('S6 reports the exception avalanche as noise, not as a problem', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S6-thirdparty-widget-errors-purchase-ok.posthog-events.jsonl', 's6.db')
    try {
      const flags = detectFlags(store, sessionId)
      const avalanche = flags.find((f) => f.type === 'exception_avalanche')
      expect(avalanche).toMatchObject({ label: 'noise', blocking: false, severity: 'low' })
      expect(avalanche!.evidence.length).toBeGreaterThanOrEqual(10)
    } finally {
      store.close()
    }
  })
})
