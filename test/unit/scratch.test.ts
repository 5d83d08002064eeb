// Scratch folders: named after their process; a new one removes those whose process is gone, and
// only those (its own, a live process's and another prefix's stay).
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scratchDir } from '../../electron/scratch'

const PREFIX = `sightline-scratch-test-${process.pid}x-`
const made: string[] = []
const folder = (name: string) => {
  const p = path.join(os.tmpdir(), name)
  fs.mkdirSync(p)
  fs.writeFileSync(path.join(p, 'part.jsonl'), 'x')
  made.push(p)
  return p
}
afterAll(() => {
  for (const p of made) fs.rmSync(p, { recursive: true, force: true })
})

describe('scratchDir', () => {
  it('removes the folders of processes that are gone, keeps the others', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'])
    try {
      const gone = folder(`${PREFIX}${dead}-a1B2c3`)
      const live = folder(`${PREFIX}${sleeper.pid}-d4E5f6`)
      const mine = folder(`${PREFIX}${process.pid}-g7H8i9`)
      const other = folder(`${PREFIX}other-${dead}-j1K2l3`)
      const dir = scratchDir(PREFIX)
      made.push(dir)
      expect(path.basename(dir)).toMatch(new RegExp(`^${PREFIX}${process.pid}-[A-Za-z0-9]{6}$`))
      expect(fs.statSync(dir).isDirectory()).toBe(true)
      // Removed in the background (a pull does not wait on another's leftovers).
      const until = Date.now() + 2_000
      while (fs.existsSync(gone) && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
      expect(fs.existsSync(gone)).toBe(false)
      for (const kept of [live, mine, other]) expect(fs.existsSync(path.join(kept, 'part.jsonl')), kept).toBe(true)
    } finally {
      sleeper.kill('SIGKILL')
    }
  })
})
