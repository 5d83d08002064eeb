// `sightline traces --json` and `sightline trace-text` over a real database, as scripts use them.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sightlineCli, tempDir } from '../helpers'
import { withSmallTraces } from './helpers'

const tmp = tempDir('sightline-trace-cli-')
const db = path.join(tmp.dir, 'cli.db')
const sightline = sightlineCli(db, { timeout: 60_000 })

beforeAll(async () => {
  const store = await withSmallTraces(tmp.dir, 'cli.db')
  store.close()
})
afterAll(() => tmp.cleanup())

describe('sightline traces / trace-text', () => {
  it('traces --json lists the documented fields; --session filters', async () => {
    const all = await sightline(['traces', '--json'])
    expect(all.code).toBe(0)
    const rows = JSON.parse(all.stdout) as Record<string, unknown>[]
    expect(rows.map((r) => r.id).sort()).toEqual(['chat-8', 'ph-1', 't1'])
    for (const r of rows) for (const k of ['id', 'name', 'start_ms', 'spans', 'input_tokens', 'output_tokens', 'error', 'session_id']) expect(r).toHaveProperty(k)
    expect(rows.find((r) => r.id === 'ph-1')).toMatchObject({ name: 'support-bot', spans: 5, input_tokens: 220, output_tokens: 18, error: true, session_id: 'sess-1', start_ms: Date.parse('2026-11-20T10:00:00Z') })
    const one = await sightline(['traces', '--session', 'sess-1', '--json'])
    expect((JSON.parse(one.stdout) as { id: string }[]).map((r) => r.id)).toEqual(['ph-1'])
  })

  it('trace-text prints the numbered text, downsampled with --max-lines', async () => {
    const full = await sightline(['trace-text', 'ph-1'])
    expect(full.code).toBe(0)
    const lines = full.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('L001: SUPPORT-BOT')
    expect(lines).toHaveLength(34)
    const short = await sightline(['trace-text', 'ph-1', '--max-lines', '12'])
    const out = short.stdout.trimEnd().split('\n')
    expect(out).toHaveLength(12)
    expect(out[7]).toBe('[SAMPLED VIEW: ~32% of 34 lines shown]')
    expect(out.at(-1)).toBe('L034: METRIC: quality = bad')
    const json = JSON.parse((await sightline(['trace-text', 't1', '--json'])).stdout) as { trace_id: string; text: string; total_lines: number; sampled: boolean }
    expect(json).toMatchObject({ trace_id: 't1', total_lines: 19, sampled: false })
    expect(json.text.split('\n')[6]).toBe('L007: [1] USER')
  })

  it('an unknown id is a user error (exit 1), a bad budget a usage error (exit 2)', async () => {
    const missing = await sightline(['trace-text', 'nope'])
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim()).toBe('error: No trace with id "nope".')
    const bad = await sightline(['trace-text', 'ph-1', '--max-lines', '0'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--max-lines must be a whole number/)
  })
})
