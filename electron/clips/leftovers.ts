// What clip rendering leaves while it works, gone at exit even if the process ends mid-way: the
// child processes it starts (an ffmpeg started ahead, the headless Chromium) and their folders.
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'

const live = new Map<string, ChildProcess | null>()
let hooked = false

/** Removes `dir` (and kills `child`) at exit, from the moment the folder is made. */
export function removeAtExit(dir: string, child: ChildProcess | null = null): void {
  live.set(dir, child)
  if (hooked) return
  hooked = true
  process.once('exit', () => {
    const children = [...live.values()].filter((c) => c?.pid !== undefined && c.exitCode === null && c.signalCode === null) as ChildProcess[]
    for (const c of children) kill(c)
    // The folders go once the processes have (a browser's helpers wrote its profile folder again
    // while it died).
    for (const c of children) waitGone(c.pid!)
    for (const d of live.keys()) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 })
  })
}

/** Kills a child and, where it leads a process group of its own (the browser, with its helper
 * processes), the whole group. */
export function kill(c: ChildProcess): void {
  try {
    process.kill(-c.pid!, 'SIGKILL')
  } catch {
    c.kill('SIGKILL')
  }
}

/** Blocks until the process has ended, up to 1 s (where /proc cannot say: 100 ms). */
function waitGone(pid: number): void {
  const proc = fs.existsSync('/proc/self/stat')
  const tick = new Int32Array(new SharedArrayBuffer(4))
  const end = Date.now() + (proc ? 1000 : 100)
  while (Date.now() < end && !(proc && ended(pid))) Atomics.wait(tick, 0, 0, 5)
}

/** Gone, or a zombie (our child, not yet reaped): state Z after the name in /proc/PID/stat. */
function ended(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] === 'Z'
  } catch {
    return true
  }
}

/** Removes `dir` now (its process is gone). */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
  live.delete(dir)
}
