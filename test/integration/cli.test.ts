import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sightlineCli, tempDir } from '../helpers'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
// No --db added: each run names its database, or SIGHTLINE_DB does.
const sightline = sightlineCli(null, { env: { SIGHTLINE_DB: path.join(tmp.dir, 'env.db') }, timeout: 60_000 })

describe('sightline CLI', () => {
  it('--help lists the working commands; each command has its own help', async () => {
    const help = await sightline(['--help'])
    expect(help.code).toBe(0)
    for (const cmd of ['serve', 'import', 'sessions', 'traces']) expect(help.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'))
    const importHelp = await sightline(['import', '--help'])
    expect(importHelp.code).toBe(0)
    expect(importHelp.stdout).toContain('--json')
    expect(importHelp.stdout).toContain('--db')
  })

  it('usage errors exit 2 with one clear line', async () => {
    const unknown = await sightline(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/)
    const badFlag = await sightline(['sessions', '--limit', 'lots'])
    expect(badFlag.code).toBe(2)
    expect(badFlag.stderr).toMatch(/--limit must be a whole number/)
    expect((await sightline(['import'])).code).toBe(2)
  })

  it('--json prints one JSON document; an empty database lists nothing', async () => {
    const r = await sightline(['sessions', '--json', '--db', path.join(tmp.dir, 'empty.db')])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([])
    const t = await sightline(['traces', '--json'])
    expect(JSON.parse(t.stdout)).toEqual([])
    expect(fs.existsSync(path.join(tmp.dir, 'env.db'))).toBe(true)
  })

  it('a file that cannot be imported exits 1, names the file, and leaves the database empty', async () => {
    const junk = path.join(tmp.dir, 'junk.bin')
    fs.writeFileSync(junk, Buffer.from([0, 159, 146, 150, 0, 1, 2, 3]))
    const db = path.join(tmp.dir, 'junk.db')
    const r = await sightline(['import', junk, '--json', '--db', db])
    expect(r.code).toBe(1)
    const [result] = JSON.parse(r.stdout) as { file: string; error: string }[]
    expect(result!.file).toBe(junk)
    expect(result!.error).toContain('junk.bin')
    // Results on stdout, errors on stderr: one line naming the file.
    expect(r.stderr.trim().split('\n')).toEqual([`error: ${junk}: ${result!.error}`])
    const human = await sightline(['import', junk, '--db', db])
    expect(human.code).toBe(1)
    expect(human.stdout).toBe('')
    expect(human.stderr).toContain(junk)
    expect(JSON.parse((await sightline(['sessions', '--json', '--db', db])).stdout)).toEqual([])
  })

  it('a database from a newer build is a user error (exit 1), not a crash', async () => {
    const Database = (await import('better-sqlite3')).default
    const db = path.join(tmp.dir, 'future.db')
    const raw = new Database(db)
    raw.pragma('user_version = 99999')
    raw.close()
    const r = await sightline(['sessions', '--db', db])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/newer than this Sightline understands/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})
