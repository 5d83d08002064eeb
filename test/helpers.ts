import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** The shared samples sit beside the clone (../shared), for developers and CI alike. */
export const sharedSamples = path.resolve(repoRoot, '../shared/samples')

export function tempDir(prefix = 'sightline-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** Runs `sightline ARGS --db DB` in a child process (the built command, as a user would). */
export function sightlineCli(db: string): (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }> {
  return (args) =>
    new Promise((resolve) => {
      execFile(process.execPath, [path.join(repoRoot, 'bin', 'sightline.mjs'), ...args, '--db', db], { maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      )
    })
}
