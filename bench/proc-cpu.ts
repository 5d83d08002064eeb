// CPU time of this process and everything it started (Linux /proc): the browser's processes are
// children of this one, ffmpeg's time is counted once it has exited. On a shared machine wall time
// swings with the load; CPU time says what the work itself cost.
import fs from 'node:fs'

const TICK_MS = 10 // USER_HZ is 100 on Linux

function stat(pid: number): { ppid: number; cpu: number; children: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * TICK_MS, children: (Number(f[13]) + Number(f[14])) * TICK_MS }
  } catch {
    return null
  }
}

/** CPU ms so far: this process, its exited children, and its live descendants (null off Linux). */
export function treeCpuMs(): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null
  const all = new Map<number, NonNullable<ReturnType<typeof stat>>>()
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    const s = stat(Number(d))
    if (s) all.set(Number(d), s)
  }
  const me = all.get(process.pid)
  if (!me) return null
  let total = me.cpu + me.children
  const stack = [process.pid]
  while (stack.length) {
    const p = stack.pop()!
    for (const [pid, s] of all) {
      if (s.ppid !== p) continue
      total += s.cpu
      stack.push(pid)
    }
  }
  return total
}
