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

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** Set over this process's environment for every run; a key set to undefined is left out. */
  env?: Record<string, string | undefined>
  /** Milliseconds before the child is killed (then code 1); 0: never. Default 120 s. */
  timeout?: number
}

/**
 * Runs `sightline ARGS --db DB` in a child process (the built command, as a user would). With db
 * null no --db is added: ARGS or SIGHTLINE_DB name the database. A run's own env goes over the options'.
 */
export function sightlineCli(db: string | null, opts: CliOptions = {}): (args: string[], env?: Record<string, string | undefined>) => Promise<CliResult> {
  return (args, env = {}) =>
    new Promise((resolve) => {
      const argv = [path.join(repoRoot, 'bin', 'sightline.mjs'), ...args, ...(db === null ? [] : ['--db', db])]
      const options = { env: { ...process.env, ...opts.env, ...env }, maxBuffer: 64 << 20, timeout: opts.timeout ?? 120_000 }
      execFile(process.execPath, argv, options, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }))
    })
}
