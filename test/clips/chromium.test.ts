// The headless Chromium behind clips (electron/clips/cdp.ts, frames-chromium.ts), when things go
// wrong: a page whose renderer crashes, a browser killed mid-clip, a process that ends with the
// browser open. Each must end in a clear error and a working next clip, never a hang, and leave
// no browser process and no profile folder behind.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChromiumFrames, closeFrameSource, makeClip, useFrameSource, type ReplayReader } from '../../electron/clips'
import { Chromium } from '../../electron/clips/cdp'
import { importFiles } from '../../electron/import'
import { replayChunks, replayMeta } from '../../electron/replay'
import { openStore, type Store } from '../../electron/store'
import { sharedSamples, tempDir } from '../helpers'

let tmp: ReturnType<typeof tempDir>
let store: Store
let reader: ReplayReader
let id: string
let at: number

const alive = (pid: number | undefined) => {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    // A zombie (exited, not yet reaped) is gone for our purpose.
    return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
/** Every process below pid (this browser's own: other test files run browsers too). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>()
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = []
  for (let frontier = [pid]; frontier.length; ) {
    frontier = [...parent].filter(([, pp]) => frontier.includes(pp)).map(([p]) => p)
    out.push(...frontier)
  }
  return out
}
const until = async (ok: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end && !ok(); ) await new Promise((r) => setTimeout(r, 50))
  return ok()
}

beforeAll(async () => {
  tmp = tempDir('sightline-chromium-test-')
  store = openStore(path.join(tmp.dir, 'c.db'))
  reader = { meta: (i) => replayMeta(store, i), chunks: (i, w, s) => replayChunks(store, i, w, s) }
  const [r] = await importFiles(store, [path.join(sharedSamples, 'sessions', 'S2-checkout-typeerror-rage-leave.rrweb.json.gz')])
  id = r!.session_ids![0]!
  at = reader.meta(id).session.start_ms + 11_600
}, 60_000)

afterAll(async () => {
  await closeFrameSource()
  useFrameSource(() => ChromiumFrames.launch())
  store?.close()
  tmp?.cleanup()
})

describe('the clip browser', () => {
  it('answers, and closing it leaves no process and no profile folder', async () => {
    const c = await Chromium.launch()
    const v = await c.send<{ product: string }>('Browser.getVersion')
    expect(v.product).toMatch(/Chrome/)
    expect(fs.existsSync(c.dataDir)).toBe(true)
    await expect(c.send('No.such')).rejects.toThrow(/No\.such: .*wasn't found/)
    await c.close()
    expect(alive(c.pid)).toBe(false)
    expect(fs.existsSync(c.dataDir)).toBe(false)
    await expect(c.send('Browser.getVersion')).rejects.toThrow(/Browser\.getVersion: Chromium exited/)
  }, 30_000)


  it('runs the headless shell where it is installed, the binary CHROMIUM_PATH names when set', async () => {
    const shell = '/usr/lib/chromium/chromium-headless-shell'
    const running = async () => {
      const c = await Chromium.launch()
      try {
        return fs.readlinkSync(`/proc/${c.pid}/exe`)
      } finally {
        await c.close()
      }
    }
    const saved = process.env.CHROMIUM_PATH
    try {
      delete process.env.CHROMIUM_PATH
      if (fs.existsSync(shell)) expect(await running()).toBe(shell)
      const full = '/usr/lib/chromium/chromium' // Debian's browser binary (/usr/bin/chromium is a script)
      process.env.CHROMIUM_PATH = full
      if (fs.existsSync(full)) expect(await running()).toBe(full)
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = saved
    }
  }, 30_000)
  it('a page whose renderer crashes fails what waits on it with a clear error; the next clip opens a new page', async () => {
    const frames = await ChromiumFrames.launch()
    try {
      const out = path.join(tmp.dir, 'a.webm')
      const first = await makeClip(reader, { session_id: id, at, fps: 1, width: 640, out }, { source: frames })
      // Both pages the clip drew with (each clip has two), each waiting on its renderer (a promise
      // the page never settles) when the renderers die.
      const pages = [await frames.page({ width: 640, height: 360 }, reader), await frames.page({ width: 640, height: 360 }, reader)]
      const evaluate = (p: unknown, e: string) => (p as { evaluate(e: string): Promise<unknown> }).evaluate(e)
      // Settled to their errors at once: the second fails while the first is awaited.
      const crashed = pages.map((p) => evaluate(p, 'new Promise(() => {})').then(() => null, (e: Error) => e))
      const renderers = descendants(frames.process.pid!).filter((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer'))
      expect(renderers.length).toBeGreaterThan(0)
      for (const pid of renderers) process.kill(pid, 'SIGKILL')
      for (const e of await Promise.all(crashed)) expect(e?.message).toMatch(/the page crashed|the page closed/)
      // A later call to a crashed page fails at once, not after its 30 s.
      const t0 = performance.now()
      await expect(evaluate(pages[0], '1')).rejects.toThrow(/the page crashed|the page closed/)
      expect(performance.now() - t0).toBeLessThan(1000)
      for (const p of pages) p.release()
      const again = await makeClip(reader, { session_id: id, at, fps: 1, width: 640, out }, { source: frames })
      expect(again.stats.captures).toBe(first.stats.captures)
      expect(fs.statSync(out).size).toBe(again.bytes)
    } finally {
      await frames.close()
    }
  }, 60_000)

  it('a page that stops answering fails the call after its time and is not reused', async () => {
    const frames = await ChromiumFrames.launch()
    try {
      const page = await frames.page({ width: 640, height: 360 }, reader)
      await expect((page as unknown as { evaluate(e: string, ms: number): Promise<unknown> }).evaluate('new Promise(() => {})', 300)).rejects.toThrow(/the frame page did not answer new Promise.* within 0\.3 s/)
      page.release()
      const next = await frames.page({ width: 640, height: 360 }, reader)
      expect(next).not.toBe(page)
      next.release()
    } finally {
      await frames.close()
    }
  }, 60_000)

  it('a browser killed mid-clip: the clip fails naming Chromium, no partial file, and the next clip launches a new one', async () => {
    const out = path.join(tmp.dir, 'b.webm')
    let frames: ChromiumFrames | undefined
    useFrameSource(async () => (frames = await ChromiumFrames.launch()))
    await makeClip(reader, { session_id: id, at, fps: 1, width: 640, out: path.join(tmp.dir, 'warm.webm') })
    const first = frames!
    fs.rmSync(out, { force: true })
    // The whole session at 10 fps (14 captures): once the first capture is out, the captures still
    // to come need the browser (a 10 s clip has as few as 2, both maybe drawn by then).
    const { start_ms, end_ms } = reader.meta(id).session
    const clip = makeClip(reader, { session_id: id, at: start_ms, before_ms: 0, after_ms: end_ms - start_ms, fps: 10, width: 640, out }, { progress: (done) => done === 2 && process.kill(first.process.pid!, 'SIGKILL') })
    await expect(clip).rejects.toThrow(/Chromium exited \(SIGKILL\)/)
    expect(fs.existsSync(out)).toBe(false)
    expect(await until(() => !alive(first.process.pid))).toBe(true)
    const again = await makeClip(reader, { session_id: id, at, fps: 1, width: 640, out })
    expect(frames).not.toBe(first)
    expect(again.bytes).toBe(fs.statSync(out).size)
    // The dead browser's profile went with it; the new one's is there.
    expect(fs.existsSync(first.process.dataDir)).toBe(false)
    expect(fs.existsSync(frames!.process.dataDir)).toBe(true)
  }, 90_000)

  it('a process that ends with the browser open takes it along, profile folder too', async () => {
    const script = `import { Chromium } from ${JSON.stringify(path.resolve('electron/clips/cdp.ts'))}\nconst c = await Chromium.launch()\nconsole.log(JSON.stringify([c.pid, c.dataDir]))\nprocess.exit(0)\n`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    let outText = ''
    child.stdout.on('data', (d: Buffer) => (outText += d.toString()))
    await new Promise((r) => child.on('close', r))
    const [pid, dataDir] = JSON.parse(outText) as [number, string]
    expect(pid).toBeGreaterThan(0)
    expect(await until(() => !alive(pid))).toBe(true)
    expect(fs.existsSync(dataDir)).toBe(false)
  }, 30_000)
})
