// Import cost per session must not grow with the number of sessions in the file (it was
// quadratic: 10k sessions 16.6 s, 50k 165 s). Measured in CPU time, which neighbours on a shared
// machine disturb far less than the wall clock; bench/import.ts --sessions gives the numbers.
import { afterAll, describe, expect, it } from 'vitest'
import { generateSessions } from '../../bench/gen-sessions'
import { importOne, tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())

async function cpuPerSession(n: number): Promise<number> {
  const file = t.file(`sessions-${n}.jsonl`)
  generateSessions(file, n)
  const store = withStore(t.dir, `sessions-${n}.db`)
  const c0 = process.cpuUsage()
  const r = await importOne(store, file)
  const cpu = process.cpuUsage(c0)
  store.close()
  expect(r.error).toBeNull()
  expect(r.sessions).toBe(n)
  return (cpu.user + cpu.system) / n
}

describe('import scales linearly with sessions per file', () => {
  it('8× the sessions cost about 8× the CPU, not 64×', async () => {
    await cpuPerSession(500) // warm-up: module loading, JIT
    const small = await cpuPerSession(1000)
    const big = await cpuPerSession(8000)
    // Linear gives a ratio near 1; the quadratic commit gave well over 2 at these sizes.
    expect(big / small, `µs per session: ${small.toFixed(0)} at 1k, ${big.toFixed(0)} at 8k`).toBeLessThan(1.6)
  }, 120_000)
})
