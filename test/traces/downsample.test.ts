// Uniform downsampling under a line budget: the budget holds, the header stays, numbers only
// grow (gaps show what was left out), the first and last message stay, long lines are cut with a
// marker, and the same input always gives the same text.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { formatTraceText, renderTrace, type RenderedTrace } from '../../electron/traces'
import { sampleIndexes, truncateLine } from '../../electron/traces/downsample'
import { tempDir } from '../helpers'
import { importOne, tracesDir, truthOf, withStore } from './helpers'

const tmp = tempDir('sightline-downsample-')
let store: Store
let huge: RenderedTrace[]
beforeAll(async () => {
  store = withStore(tmp.dir, 'huge.db')
  await importOne(store, path.join(tracesDir, 'posthog-events.jsonl'))
  huge = truthOf('posthog').traces.filter((t) => t.huge).map((t) => renderTrace(store.spans.detail(t.trace_id)!))
})
afterAll(() => {
  store.close()
  tmp.cleanup()
})

const numbers = (text: string) => text.split('\n').filter((l) => /^L\d+: /.test(l)).map((l) => Number(/^L(\d+):/.exec(l)![1]))

/** A synthetic trace: a 5-line header, then n messages of k lines. */
function synthetic(messages: number, k: number): RenderedTrace {
  const lines = ['NAME', '='.repeat(80), 'Trace x', 'Models: m', '-'.repeat(80)]
  const messageLines: number[] = []
  for (let m = 1; m <= messages; m++) {
    messageLines.push(lines.length)
    lines.push(`[${m}] ${m % 2 ? 'USER' : 'ASSISTANT'}`)
    for (let j = 0; j < k; j++) lines.push(`message ${m} line ${j}`)
  }
  return { lines, headerLines: 5, messageLines }
}

describe('uniform downsampling', () => {
  it('the huge sample traces are long, and fit any budget', () => {
    expect(huge).toHaveLength(3)
    for (const r of huge) {
      expect(r.lines.length).toBeGreaterThan(1500)
      for (const max of [10, 40, 100, 137, 500, 1499]) {
        const t = formatTraceText(r, { maxLines: max })
        const out = t.text.split('\n')
        expect(out.length).toBeLessThanOrEqual(max)
        expect(t.sampled).toBe(true)
        // Header kept, numbered as it was; then the note.
        for (let i = 0; i < r.headerLines; i++) expect(out[i]).toBe(`L${String(i + 1).padStart(4, '0')}: ${r.lines[i]}`)
        expect(out[r.headerLines]).toMatch(new RegExp(`^\\[SAMPLED VIEW: ~\\d+% of ${r.lines.length.toLocaleString('en-US')} lines shown\\]$`))
        // Strictly increasing numbers; the first and the last message heading and the last line kept.
        const ns = numbers(t.text)
        for (let i = 1; i < ns.length; i++) expect(ns[i]!).toBeGreaterThan(ns[i - 1]!)
        expect(ns).toContain(r.messageLines[0]! + 1)
        expect(ns).toContain(r.messageLines.at(-1)! + 1)
        expect(ns.at(-1)).toBe(r.lines.length)
        expect(t.shown_lines).toBe(ns.length)
      }
    }
  })

  it('never exceeds the budget, however small', () => {
    const r = synthetic(30, 4)
    for (let max = 1; max <= r.lines.length + 2; max++) {
      const t = formatTraceText(r, { maxLines: max })
      expect(t.text.split('\n').length, `max ${max}`).toBeLessThanOrEqual(max)
      const ns = numbers(t.text)
      for (let i = 1; i < ns.length; i++) expect(ns[i]!).toBeGreaterThan(ns[i - 1]!)
      if (max >= r.headerLines + 4) expect(ns.slice(0, r.headerLines)).toEqual([1, 2, 3, 4, 5])
    }
  })

  it('the percentage is the share of lines shown', () => {
    const r = synthetic(40, 9) // 5 + 400 lines
    const t = formatTraceText(r, { maxLines: 100 })
    expect(t.text.split('\n')).toHaveLength(100)
    expect(t.text).toContain(`[SAMPLED VIEW: ~${Math.round((99 / 405) * 100)}% of 405 lines shown]`)
  })

  it('keeps every Nth body line, evenly spread', () => {
    const r = synthetic(100, 9) // body of 1000 lines
    const ns = numbers(formatTraceText(r, { maxLines: 106 }).text).slice(5)
    const gaps = ns.slice(1).map((n, i) => n - ns[i]!)
    // ~10 apart, give or take the lines kept on purpose (first/last message, last line).
    expect(gaps.filter((g) => g >= 9 && g <= 11).length).toBeGreaterThan(gaps.length * 0.9)
  })

  it('is the identity within budget and deterministic beyond it', () => {
    const r = synthetic(5, 3)
    expect(formatTraceText(r, { maxLines: 1000 })).toMatchObject({ sampled: false, shown_lines: r.lines.length })
    expect(formatTraceText(r).text.split('\n')).toHaveLength(r.lines.length)
    const big = synthetic(300, 7)
    expect(formatTraceText(big, { maxLines: 77 }).text).toBe(formatTraceText(big, { maxLines: 77 }).text)
  })

  it('pads line numbers to the digits of the total (L001 below 1,000 lines, L0001 from 1,000)', () => {
    expect(formatTraceText(synthetic(2, 1)).text.split('\n')[0]).toBe('L001: NAME')
    expect(formatTraceText(synthetic(200, 5)).text.split('\n')[0]).toBe('L0001: NAME')
  })

  it('cuts long single lines in the middle with a marker', () => {
    const long = 'a'.repeat(600) + 'MIDDLE' + 'z'.repeat(600)
    const cut = truncateLine(long, 1000)
    expect(cut.length).toBeLessThan(1100)
    expect(cut).toMatch(/^a{600}.* \.\.\. \(\d+ chars truncated\) \.\.\. z+$/)
    expect(cut).not.toContain('MIDDLE')
    const r: RenderedTrace = { lines: ['T', long], headerLines: 1, messageLines: [] }
    expect(formatTraceText(r, { maxLineChars: 100 }).text.split('\n')[1]!.length).toBeLessThan(130)
    expect(truncateLine('short', 1000)).toBe('short')
  })

  it('sampleIndexes: within budget, sorted, unique, required ones kept', () => {
    for (const [len, budget] of [[10, 3], [1000, 17], [7, 7], [50, 49], [3, 1]] as const) {
      const req = [len - 1, 0, Math.floor(len / 2)]
      const ix = sampleIndexes(len, budget, req)
      expect(ix.length).toBeLessThanOrEqual(budget)
      expect(new Set(ix).size).toBe(ix.length)
      expect([...ix].sort((a, b) => a - b)).toEqual(ix)
      for (const r of req.slice(0, budget)) expect(ix).toContain(r)
    }
  })
})
