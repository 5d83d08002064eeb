import { describe, expect, it } from 'vitest'
import type { ReplayChunk } from '../../shared/model'
import { chunkAt, planChunks } from '../../shared/replay-plan'

// Ten 10-second chunks; full snapshots in chunks 0 and 5 (a page load at 50 s).
const chunks: ReplayChunk[] = Array.from({ length: 10 }, (_, i) => ({
  seq: i,
  start_ms: i * 10_000,
  end_ms: i * 10_000 + 9_999,
  events: 10,
  full_snapshot_seq: i < 5 ? 0 : 5,
}))

describe('chunkAt', () => {
  it.each([
    [0, 0],
    [9_999, 0],
    [10_000, 1],
    [95_000, 9],
    [500_000, 9],
    [-5, 0],
  ])('t=%i → chunk %i', (t, i) => expect(chunkAt(chunks, t)).toBe(i))
})

describe('planChunks', () => {
  const plan = (segmentStart: number | null, loadedEnd: number | null, target: number, maxGap?: number) =>
    planChunks({ chunks, segmentStart, loadedEnd, target, aheadMs: 15_000, ...(maxGap !== undefined ? { maxGap } : {}) })

  it.each([
    // nothing loaded: start from the full snapshot governing the target, through target + ahead
    ['open at 0', null, null, 0, { mode: 'rebuild', reason: 'seek_target', seqs: [0, 1] }],
    ['open at 32 s', null, null, 32_000, { mode: 'rebuild', reason: 'seek_target', seqs: [0, 1, 2, 3, 4] }],
    ['open at 52 s: only from the second page load', null, null, 52_000, { mode: 'rebuild', reason: 'seek_target', seqs: [5, 6] }],
    // loaded 0..1: playing at 5 s needs chunk 2 soon
    ['buffer ahead', 0, 1, 8_000, { mode: 'extend', reason: 'buffer_ahead', seqs: [2] }],
    ['nothing to do', 0, 3, 5_000, { mode: 'none', reason: 'loaded', seqs: [] }],
    // a small jump forward in the same segment extends
    ['short seek forward', 0, 1, 31_000, { mode: 'extend', reason: 'seek_target', seqs: [2, 3, 4] }],
    // jumping far past a later full snapshot starts over there instead of loading everything between
    ['long seek past a full snapshot', 0, 0, 91_000, { mode: 'rebuild', reason: 'seek_target', seqs: [5, 6, 7, 8, 9] }],
    ['long seek past a full snapshot, small maxGap', 0, 1, 71_000, { mode: 'rebuild', reason: 'seek_target', seqs: [5, 6, 7, 8] }],
    // seeking back before the player's first snapshot must start over
    ['seek back before the segment', 5, 7, 12_000, { mode: 'rebuild', reason: 'seek_target', seqs: [0, 1, 2] }],
    // seeking back inside what is loaded needs nothing (rrweb replays from its own snapshot)
    ['seek back inside the segment', 0, 4, 15_000, { mode: 'none', reason: 'loaded', seqs: [] }],
  ] as const)('%s', (_name, segmentStart, loadedEnd, target, expected) => {
    expect(plan(segmentStart, loadedEnd, target, _name.includes('small maxGap') ? 2 : undefined)).toEqual(expected)
  })

  it('an empty recording plans nothing', () => {
    expect(planChunks({ chunks: [], segmentStart: null, loadedEnd: null, target: 0, aheadMs: 1000 })).toEqual({ seqs: [], mode: 'none', reason: 'loaded' })
  })

  it('always loads contiguous seqs ending at or after the target chunk', () => {
    for (let target = 0; target < 100_000; target += 3_333) {
      for (const [segmentStart, loadedEnd] of [[null, null], [0, 2], [5, 6], [0, 9]] as const) {
        const p = plan(segmentStart, loadedEnd, target)
        const seqs = p.seqs as number[]
        seqs.forEach((s, i) => i > 0 && expect(s).toBe(seqs[i - 1]! + 1))
        if (p.mode === 'rebuild') {
          expect(chunks[seqs[0]!]!.full_snapshot_seq).toBe(seqs[0])
          expect(seqs.at(-1)!).toBeGreaterThanOrEqual(chunkAt(chunks, target))
        }
        if (p.mode === 'extend') expect(seqs[0]).toBe((loadedEnd ?? -1) + 1)
      }
    }
  })
})
