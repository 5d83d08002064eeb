// What a clip draws besides the page and which frames it captures: the capture plan (a frame is
// drawn again only when an event since the frame before can change the page), the cursor, ripple
// and clock in output pixels, the sprites, and the encoder drawing them onto the frames (decoded
// back with ffmpeg and looked at pixel by pixel).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { frameDecor, framesToCapture } from '../../electron/clips/decor'
import { closeEncoders, startEncoder, warmEncoder } from '../../electron/clips/encode'
import { cursorSprite, rippleSprite } from '../../electron/clips/sprites'
import { tempDir } from '../helpers'

const T = 1_000_000
/** A page whose style sheet can show a hover (rrweb records a <style>'s rules as _cssText). */
const page = (css: string) => ({ type: 2, timestamp: T, data: { node: { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'style', attributes: { _cssText: css }, childNodes: [] }] } } })
const full = page('button:hover { background: red; }')
const meta = { type: 4, timestamp: T - 1, data: { width: 1280, height: 800 } }
const move = (dt: number, id: number, x = 100, y = 200) => ({ type: 3, timestamp: T + dt, data: { source: 1, positions: [{ x, y, id, timeOffset: 0 }] } })
const click = (dt: number, id: number, x = 100, y = 200) => ({ type: 3, timestamp: T + dt, data: { source: 2, type: 2, id, x, y } })
const custom = (dt: number) => ({ type: 5, timestamp: T + dt, data: { tag: 'x', payload: {} } })
const attr = (dt: number) => ({ type: 3, timestamp: T + dt, data: { source: 0, adds: [], removes: [], texts: [], attributes: [{ id: 3, attributes: { class: 'on' } }] } })
const add = (dt: number) => ({ type: 3, timestamp: T + dt, data: { source: 0, adds: [{ parentId: 1, nextId: null, node: { type: 2, id: 9, tagName: 'p', attributes: {}, childNodes: [] } }], removes: [], texts: [], attributes: [] } })
const at = (...dts: number[]) => dts.map((d) => T + d)
const interaction = (dt: number, type: number, id: number) => ({ type: 3, timestamp: T + dt, data: { source: 2, type, id, x: 10, y: 10 } })

describe('framesToCapture', () => {
  it('captures a frame only when the events since the frame before can change the page', () => {
    const events = [meta, full, move(100, 5), move(300, 5), move(500, 7), custom(600), attr(800), move(900, 7), click(1_000, 7), click(1_100, 8)]
    expect(framesToCapture(events, at(50, 150, 250, 350, 550, 650, 850, 950, 1_050, 1_150))).toEqual([
      true, // the first frame
      true, // the pointer now hovers node 5
      false, // nothing happened
      false, // still over node 5
      true, // over node 7
      false, // a custom event draws nothing
      true, // a mutation
      false, // still over node 7
      false, // a click on node 7: hovered already
      true, // a click on node 8
    ])
  })

  it('an event exactly at a frame time is drawn by the next frame (rrweb applies events before the time)', () => {
    expect(framesToCapture([meta, full, attr(200)], at(100, 200, 300))).toEqual([true, false, true])
  })

  it('after new nodes, a pointer on the same node counts (rrweb may not have had it to hover)', () => {
    expect(framesToCapture([meta, full, move(100, 5), add(300), move(400, 5)], at(200, 350, 450))).toEqual([true, true, true])
  })

  it('where no style sheet can show a hover, pointer moves and clicks change nothing', () => {
    const moves = (first: ReturnType<typeof page>) => framesToCapture([meta, first, move(100, 5), click(300, 8), move(500, 9)], at(50, 200, 400, 600))
    expect(moves(page('button { color: red; } .hover-card { border: 0; }'))).toEqual([true, false, false, false])
    // rrweb shows hover as a ':hover' class on the node and its ancestors, so CSS on the class
    // attribute itself sees it too.
    for (const css of ['a:hover { color: red; }', 'a:HOVER{}', 'div[class^="btn"] { color: red; }', 'a:not([class]) { color: red; }', 'p::after { content: attr(class); }']) expect(moves(page(css)), css).toEqual([true, true, true, true])
    // A rule added later (StyleSheetRule), or a declaration set later, counts as well.
    const rule = { type: 3, timestamp: T + 700, data: { source: 8, id: 2, adds: [{ rule: 'b:hover { color: red }', index: 0 }] } }
    expect(framesToCapture([meta, page(''), move(100, 5), rule], at(50, 200))).toEqual([true, true])
    const declaration = { type: 3, timestamp: T + 700, data: { source: 13, id: 2, index: [0], set: { property: 'content', value: 'attr(class)' } } }
    expect(framesToCapture([meta, page(''), move(100, 5), declaration], at(50, 200))).toEqual([true, true])
    // Not pointer, console or custom data that only mentions it.
    const log = { type: 6, timestamp: T + 50, data: { plugin: 'rrweb/console@1', payload: { level: 'log', payload: ['a:hover { color: red }'] } } }
    const note = { type: 5, timestamp: T + 60, data: { tag: 'note', payload: { css: 'div[class^="x"]' } } }
    expect(framesToCapture([meta, page(''), log, note, move(100, 5)], at(50, 200))).toEqual([true, false])
  })

  it('a focus changes nothing (the replayer does not focus); a mouse-down only hovers; a blur is a change', () => {
    // MouseInteraction types: 1 MouseDown, 5 Focus, 6 Blur.
    expect(framesToCapture([meta, full, move(100, 5), interaction(300, 5, 5), interaction(500, 1, 5), interaction(700, 1, 6), interaction(900, 6, 6)], at(50, 200, 400, 600, 800, 1_000))).toEqual([true, true, false, false, true, true])
  })

  it('a frame drawn earlier than the one before is captured', () => {
    expect(framesToCapture([meta, full, move(100, 5)], at(200, 150, 300))).toEqual([true, true, false])
  })
})

describe('frameDecor', () => {
  it('puts the cursor and ripple where the letterboxed page shows them, and the session clock', () => {
    // 1280×800 into 640×360: scale 0.45, 32 px bars left and right.
    const events = [meta, full, move(100, 5, 100, 200), click(1_000, 5, 200, 400), { type: 3, timestamp: T + 2_000, data: { source: 4, width: 640, height: 360 } }, move(2_100, 5, 10, 20)]
    const d = frameDecor(events, at(50, 500, 1_050, 1_150, 1_250, 1_350, 2_500), { width: 640, height: 360 }, T - 61_500)
    expect(d.map((f) => f.cursor)).toEqual([null, [77, 90], [122, 180], [122, 180], [122, 180], [122, 180], [10, 20]])
    expect(d.map((f) => f.ripple)).toEqual([null, null, [122, 180, 0], [122, 180, 1], [122, 180, 2], null, null])
    expect(d.map((f) => f.clock)).toEqual(['1:01.5', '1:02.0', '1:02.5', '1:02.6', '1:02.8', '1:02.9', '1:04.0'])
  })
})

describe('sprites', () => {
  const px = (s: ReturnType<typeof cursorSprite>, x: number, y: number) => [...s.rgba.subarray((y * s.width + x) * 4, (y * s.width + x) * 4 + 4)]
  it('the arrow is black with a white edge, its tip on the hot spot; the ripple fades as it grows', () => {
    const c = cursorSprite(1)
    expect(c.hot).toEqual([1, 1])
    expect(px(c, 3, 8)).toEqual([0, 0, 0, 255]) // inside
    expect(px(c, 0, 8).slice(0, 3)).toEqual([255, 255, 255]) // the edge
    expect(px(c, 14, 3)[3]).toBe(0) // outside
    expect(cursorSprite(2).width).toBe(2 * c.width)
    const alphaAtCentre = [0, 1, 2].map((k) => { const r = rippleSprite(1, k); return px(r, r.hot[0], r.hot[1])[3]! })
    expect(alphaAtCentre[0]).toBeGreaterThan(alphaAtCentre[1]!)
    expect(alphaAtCentre[1]).toBeGreaterThan(alphaAtCentre[2]!)
    // Stage 0 is small: nothing 12 px from its centre; stage 2 reaches there.
    const r0 = rippleSprite(1, 0), r2 = rippleSprite(1, 2)
    expect(px(r0, r0.hot[0] + 12, r0.hot[1])[3]).toBe(0)
    expect(px(r2, r2.hot[0] + 12, r2.hot[1])[3]).toBeGreaterThan(0)
  })
})

describe('the encoder draws the decorations onto the frames', () => {
  const tmp = tempDir('sightline-decor-')
  afterAll(() => tmp.cleanup())
  const W = 320
  const H = 180
  const grey = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=0x808080:s=${W}x${H}`, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '2', '-'])
  const decode = (file: string) => {
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 26 })
    return Array.from({ length: raw.length / (W * H) }, (_, i) => raw.subarray(i * W * H, (i + 1) * W * H))
  }
  const at = (f: Buffer, x: number, y: number) => f[y * W + x]!

  const frames = [
    { cursor: [40, 40] as [number, number], ripple: null, clock: '0:01.0' },
    { cursor: [200, 100] as [number, number], ripple: [100, 120, 0] as [number, number, number], clock: '0:01.1' },
    { cursor: null, ripple: null, clock: '0:01.2' },
  ]
  const setup = { fps: 10, codec: 'vp9' as const, bitrate: '1M', decor: { width: W, height: H } }
  /** Encodes three grey frames with `frames` drawn on them and checks what was drawn. */
  async function drawnAsPlanned(file: string) {
    const enc = await startEncoder(setup, file, frames)
    for (let i = 0; i < frames.length; i++) await enc.write(grey)
    await enc.finish()
    expect(decode(file)).toHaveLength(frames.length)
    const [a, b, c] = decode(file)
    // The arrow's body just below and right of its tip: dark where the cursor is, grey elsewhere.
    expect(at(a!, 42, 46)).toBeLessThan(60)
    expect(at(b!, 42, 46)).toBeGreaterThan(100)
    expect(at(b!, 202, 106)).toBeLessThan(60)
    expect(at(c!, 202, 106)).toBeGreaterThan(100)
    // The ripple: a red ring around the click (5 px out at this size); none on the other frames.
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 26 })
    const redness = (i: number) => {
      let most = -255
      for (let y = 112; y < 128; y++) for (let x = 92; x < 108; x++) { const o = (i * W * H + y * W + x) * 3; most = Math.max(most, rgb[o]! - rgb[o + 1]!) }
      return most
    }
    expect(redness(1)).toBeGreaterThan(60)
    expect(Math.abs(redness(0))).toBeLessThan(15)
    // The clock: light text on a dark box at the top right.
    expect(box(a!).dark).toBeGreaterThan(200)
    expect(box(a!).light).toBeGreaterThan(20)
  }
  const box = (f: Buffer) => { let dark = 0, light = 0; for (let y = 4; y < 30; y++) for (let x = W - 80; x < W - 4; x++) { const v = at(f, x, y); if (v < 50) dark++; else if (v > 200) light++ } return { dark, light } }

  it('the cursor moves with its frames, a ripple shows after a click, the clock reads the session time; off, the frames stay as captured', async () => {
    await drawnAsPlanned(path.join(tmp.dir, 'decor.webm'))
    const plain = path.join(tmp.dir, 'plain.webm')
    const enc2 = await startEncoder({ ...setup, decor: null }, plain)
    await enc2.write(grey)
    await enc2.finish()
    const [p] = decode(plain)
    expect(box(p!).dark).toBe(0)
    expect(at(p!, 42, 46)).toBeGreaterThan(100)
  })

  it('a frame that repeats the one before is shown for its time without being sent again', async () => {
    const jpeg = (c: string) => execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=${c}:s=${W}x${H}`, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '2', '-'])
    const [dark, light] = [jpeg('0x202020'), jpeg('0xe0e0e0')]
    const seq = [dark, dark, light, light, light, dark, light, light]
    for (const fps of [10, 2.5]) {
      const file = path.join(tmp.dir, `repeats-${fps}.webm`)
      const enc = await startEncoder({ ...setup, fps, decor: null }, file)
      for (const f of seq) await enc.write(f)
      await enc.finish()
      expect(decode(file).map((f) => (at(f, W / 2, H / 2) < 128 ? dark : light))).toEqual(seq)
      const duration = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }))
      expect(duration).toBeCloseTo(seq.length / fps, 1)
    }
  })

  it.runIf(process.platform === 'linux')('an ffmpeg started ahead waits on its input, then draws the script of the clip that takes it', async () => {
    const pid = await warmEncoder(setup)
    expect(pid).toBeGreaterThan(0)
    try {
      // Fully started and blocked reading its stdin, before any clip exists: had it read its
      // script (or opened its output) early, it would have failed or drawn nothing.
      const deadline = Date.now() + 10_000
      while (!/read/.test(fs.readFileSync(`/proc/${pid}/wchan`, 'utf8'))) {
        if (Date.now() > deadline) throw new Error(`ffmpeg ${pid} never waited on its input`)
        await new Promise((r) => setTimeout(r, 20))
      }
      await drawnAsPlanned(path.join(tmp.dir, 'ahead.webm'))
      // That ffmpeg drew it (its process ends: the clip is out once it reported, a moment before),
      // and another waits for the next clip.
      const ended = Date.now() + 2_000
      while (fs.existsSync(`/proc/${pid}`) && Date.now() < ended) await new Promise((r) => setTimeout(r, 10))
      expect(fs.existsSync(`/proc/${pid}`)).toBe(false)
      const next = await warmEncoder(setup)
      expect(next).toBeGreaterThan(0)
      expect(next).not.toBe(pid)
    } finally {
      await closeEncoders()
    }
  })
})

describe.runIf(process.platform === 'linux')('ffmpegs started ahead, once closed or idle at exit', () => {
  /** This process's ffmpeg children. */
  const ffmpegChildren = () =>
    fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8')
        return / \(ffmpeg\) /.test(stat) && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid
      } catch {
        return false // ended while listed
      }
    })

  it('closed, none is left waiting: not the one ahead, nor the one due after a clip that took one', async () => {
    const tmp = tempDir('sightline-enc-close-')
    try {
      const setup = { fps: 1, codec: 'vp8' as const, bitrate: '800k', decor: null }
      await warmEncoder(setup)
      const enc = await startEncoder(setup, path.join(tmp.dir, 'a.webm'))
      await enc.write(execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=s=64x64', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-']))
      await enc.finish()
      await warmEncoder({ ...setup, fps: 2 })
      void closeEncoders() // right after the clip, before anything else runs: its replacement is still due
      await expect.poll(ffmpegChildren, { timeout: 5_000 }).toEqual([])
      await new Promise((r) => setTimeout(r, 300))
      expect(ffmpegChildren()).toEqual([])
    } finally {
      await closeEncoders()
      tmp.cleanup()
    }
  })

  it('one waiting does not keep a finished process alive, and goes with it', async () => {
    const code = `import { warmEncoder } from ${JSON.stringify(path.resolve('electron/clips/encode.ts'))}
      console.log(await warmEncoder({ fps: 1, codec: 'vp8', bitrate: '800k', decor: { width: 320, height: 180 } }))`
    const t0 = Date.now()
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 })
    const pid = Number(out.trim())
    expect(pid).toBeGreaterThan(0)
    expect(Date.now() - t0).toBeLessThan(20_000)
    expect(fs.existsSync(`/proc/${pid}`) && !/ \(ffmpeg\) [ZX]/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))).toBe(false)
  })
})

describe('an encoder whose ffmpeg is gone', () => {
  it('fails the frame it was given (it used to wait for room in the pipe for ever)', async () => {
    const tmp = tempDir('sightline-enc-gone-')
    const saved = process.env.FFMPEG_PATH
    process.env.FFMPEG_PATH = '/bin/false' // exits at once, reading nothing
    try {
      const enc = await startEncoder({ fps: 1, codec: 'vp8', bitrate: '800k', decor: null }, path.join(tmp.dir, 'x.webm'))
      const big = Buffer.alloc(4 << 20) // more than a pipe holds: the write has to wait
      await expect(enc.write(big)).rejects.toThrow(/ffmpeg stopped taking frames/)
      await expect(enc.finish()).rejects.toThrow(/ffmpeg failed \(exit 1\)/)
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH
      else process.env.FFMPEG_PATH = saved
      tmp.cleanup()
    }
  })
})
