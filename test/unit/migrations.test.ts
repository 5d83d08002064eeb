import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../electron/store/migrations'
import { repoRoot } from '../helpers'

describe('migrations', () => {
  it('have strictly increasing versions, one per file, named after their version', () => {
    const versions = migrations.map((m) => m.version)
    for (let i = 1; i < versions.length; i++) expect(versions[i]!, `${migrations[i]!.name} after ${migrations[i - 1]!.name}`).toBeGreaterThan(versions[i - 1]!)
    const files = fs.readdirSync(path.join(repoRoot, 'electron/store/migrations')).filter((f) => /^\d{4}-/.test(f))
    expect(files.map((f) => Number(f.slice(0, 4))).sort((a, b) => a - b)).toEqual(versions)
    for (const m of migrations) expect(files).toContain(`${String(m.version).padStart(4, '0')}-${m.name}.ts`)
  })
})
