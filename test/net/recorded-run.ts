// Runs the real CLI (whatever bin/sightline.mjs is: tsx source or a built bundle) in a child
// process under record-connects.mjs, which logs every socket connect and DNS lookup it makes.
// A new offline path is one more `runRecorded([...args])` plus `expectClean(run)` (offline-sockets.test.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { isLoopback } from '../../electron/net'

const ROOT = path.resolve(__dirname, '../..')
const BIN = path.join(ROOT, 'bin/sightline.mjs')
const PRELOAD = path.join(__dirname, 'record-connects.mjs')

export interface NetRecord {
  kind: 'connect' | 'dns'
  host: string | null
  port: number | string | null
  /** A local (unix) socket or pipe, e.g. tsx's IPC: never the network. */
  path: string | null
}

export interface RecordedRun {
  args: string[]
  code: number | null
  stdout: string
  stderr: string
  records: NetRecord[]
}

/** A child's exit code and output once it closes; killed (SIGKILL) if it runs past timeoutMs. */
async function finished(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += String(d)))
  child.stderr!.on('data', (d: Buffer) => (stderr += String(d)))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  clearTimeout(timer)
  return { code, stdout, stderr }
}

export async function runRecorded(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<RecordedRun> {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-net-')), 'net.jsonl')
  fs.writeFileSync(log, '')
  const child = spawn(process.execPath, ['--import', pathToFileURL(PRELOAD).href, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, SIGHTLINE_NET_LOG: log },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { code, stdout, stderr } = await finished(child, timeoutMs)
  const records = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as NetRecord)
  fs.rmSync(path.dirname(log), { recursive: true, force: true })
  return { args, code, stdout, stderr, records }
}

/** Connects to anything but loopback, and DNS lookups of any name but `localhost` itself (a `*.localhost` name must not be asked either). */
export function offLoopback(run: RecordedRun): { connects: NetRecord[]; lookups: NetRecord[] } {
  return {
    connects: run.records.filter((r) => r.kind === 'connect' && r.path === null && !(r.host && isLoopback(r.host))),
    lookups: run.records.filter((r) => r.kind === 'dns' && r.host?.toLowerCase() !== 'localhost'),
  }
}

/** Whether strace is installed: the process-tree check below needs it. */
export const hasStrace = ['/usr/bin/strace', '/bin/strace'].some((p) => fs.existsSync(p))

/**
 * Runs the CLI under `strace -f`: every connect(2) of the whole process tree, child processes the
 * preload cannot see included (the headless Chromium that renders clips). Returns the addresses
 * connected to, as strace prints them (`inet_addr("…")`, `inet_pton(AF_INET6, "…")`, `htons(port)`),
 * and the programs the tree ran.
 */
export async function runTraced(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string; connects: { host: string; port: number }[]; programs: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-strace-'))
  const out = path.join(dir, 'trace')
  const child = spawn('strace', ['-f', '-qq', '-e', 'trace=connect,execve', '-o', out, process.execPath, BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const { code, stdout, stderr } = await finished(child, timeoutMs)
  const connects: { host: string; port: number }[] = []
  const programs: string[] = []
  for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
    const exec = /execve\("([^"]+)".*= 0$/.exec(line)
    if (exec) programs.push(exec[1]!)
    const m = /connect\(\d+, \{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\).*?(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")/.exec(line)
    if (m) connects.push({ host: m[2] ?? m[3]!, port: Number(m[1]) })
  }
  fs.rmSync(dir, { recursive: true, force: true })
  return { code, stdout, stderr, connects, programs }
}
