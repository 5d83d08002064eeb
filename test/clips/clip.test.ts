// Clips in headless Chromium: every sample session is drawn around its ground-truth problem (or its
// middle); the .webm must be valid (ffprobe), last as long as its frames say, show the page (not a
// blank frame) and change where the page changed (not a frozen one). Frame correctness: frames at
// seeded times equal, pixel for pixel, what a fresh Replayer given the whole recording shows there.
// Needs the built frame page (npx electron-vite build), Chromium and ffmpeg.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChromiumFrames, makeClip, type ReplayReader } from '../../electron/clips'
import { importFiles } from '../../electron/import'
import { replayChunks, replayMeta } from '../../electron/replay'
import { openStore, type Store } from '../../electron/store'
import { sharedSamples, tempDir } from '../helpers'
import { rng } from '../e2e/replay-fixtures'

const SAMPLES = path.join(sharedSamples, 'sessions')
const truth = JSON.parse(fs.readFileSync(path.join(SAMPLES, 'truth.json'), 'utf8')) as {
  files: Record<string, { sessions: { start_ms: number; duration_ms: number; problems: { kind: string; t_ms: number }[] }[] }>
}
const FILES = Object.keys(truth.files).filter((f) => /\.rrweb\.json(\.gz)?$/.test(f))

let tmp: ReturnType<typeof tempDir>
let store: Store
let reader: ReplayReader
let frames: ChromiumFrames
const cases: { file: string; id: string; at: number; problem: string; changes: number[] }[] = []

beforeAll(async () => {
  tmp = tempDir('sightline-clips-')
  store = openStore(path.join(tmp.dir, 'clips.db'))
  reader = { meta: (id) => replayMeta(store, id), chunks: (id, w, seqs) => replayChunks(store, id, w, seqs) }
  for (const file of FILES) {
    const [r] = await importFiles(store, [path.join(SAMPLES, file)])
    expect(r!.error, file).toBeNull()
    const id = r!.session_ids![0]!
    const s = truth.files[file]!.sessions[0]!
    const p = s.problems[0]
    // No problem: around the first change of the page (a DOM mutation), so the clip shows one.
    const events = replayChunks(store, id, reader.meta(id).windows[0]!.window_id, reader.meta(id).windows[0]!.chunks.map((x) => x.seq)).flatMap((x) => x.events) as { type: number; timestamp: number; data?: { source?: number } }[]
    const change = events.find((e) => e.type === 3 && e.data?.source === 0)!.timestamp
    // When the page changes (mutation, scroll, input): a clip that spans one must show it.
    const changes = events.filter((e) => e.type === 3 && [0, 3, 5].includes(e.data?.source ?? -1)).map((e) => e.timestamp)
    cases.push({ file, id, at: p ? s.start_ms + p.t_ms : change, problem: p?.kind ?? 'first page change', changes })
  }
  frames = await ChromiumFrames.launch()
}, 120_000)

afterAll(async () => {
  await frames?.close()
  store?.close()
  tmp?.cleanup()
})

function probe(file: string): { codec: string; width: number; height: number; frames: number; duration: number } {
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames:format=duration,format_name', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[]; format: { duration: string; format_name: string } }
  expect(out.format.format_name).toContain('webm')
  const s = out.streams[0]!
  return { codec: s.codec_name, width: s.width, height: s.height, frames: Number(s.nb_read_frames), duration: Number(out.format.duration) }
}

/** The clip's frames decoded to 8-bit grey, one Buffer per frame. */
function greyFrames(file: string, width: number, height: number): Buffer[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 28 })
  const size = width * height
  return Array.from({ length: raw.length / size }, (_, i) => raw.subarray(i * size, (i + 1) * size))
}

/** Pixels whose grey level differs by more than 40 (JPEG and VP9 noise stays far below). */
const changed = (a: Buffer, b: Buffer) => a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 40 ? 1 : 0), 0)
/** Distinct grey levels in a frame: a blank frame has one or two. */
const levels = (a: Buffer) => new Set(a).size

describe('a clip of each sample session around its problem', () => {
  it.each(FILES)('%s', async (file) => {
    const c = cases.find((x) => x.file === file)!
    const out = path.join(tmp.dir, `${path.basename(file).split('.')[0]}.webm`)
    const r = await makeClip(reader, { session_id: c.id, at: c.at, fps: 4, width: 640, out }, { source: frames })
    expect(r.file).toBe(out)
    // One frame every 250 ms from the start, up to (not at) the end, which the session may cut short.
    expect(r.frames).toBe(Math.ceil(((r.end_ms - r.start_ms) * 4) / 1000))
    expect(r.bytes).toBe(fs.statSync(out).size)
    const p = probe(out)
    expect(p).toMatchObject({ codec: 'vp8', width: 640, height: 360, frames: r.frames }) // VP8 below 5 fps
    expect(Math.abs(p.duration - r.frames / 4)).toBeLessThan(0.3)
    const grey = greyFrames(out, 640, 360)
    expect(grey.length).toBe(r.frames)
    // Not blank: every frame shows a page (text, boxes), not one flat colour.
    for (const [i, g] of grey.entries()) expect(levels(g), `${file} frame ${i} is blank`).toBeGreaterThan(20)
    // Not frozen: where the page changed between two frames, the clip shows it. (S4's second tab
    // changes only at its very last event, where its clip ends: nothing to show.)
    const diffs = grey.slice(1).map((g, i) => changed(grey[i]!, g))
    if (c.changes.some((t) => t > r.start_ms && t <= r.end_ms - 250)) expect(Math.max(...diffs), `${file}: no two consecutive frames differ`).toBeGreaterThan(200)
  }, 120_000)
})

describe('frame correctness', () => {
  // The clip's frames (no cursor or clock: the reference shows none) against a fresh Replayer,
  // given the whole window, at 8 seeded frame times per session and at up to 8 seeded frames that
  // were not captured but repeat the frame before (nothing since it could change the page); two
  // pages, as at 10 fps (each page seeks forward by applying only the events since its last frame).
  it.each(FILES)('%s', async (file) => {
    const c = cases.find((x) => x.file === file)!
    const shot = new Map<number, Buffer>()
    const byIndex: { t: number; jpeg: Buffer }[] = []
    const r = await makeClip(
      reader,
      { session_id: c.id, at: c.at, fps: 5, width: 640, decorations: false, pages: 2, out: path.join(tmp.dir, 'exact.webm') },
      { source: frames, onFrame: (i, t, jpeg) => (shot.set(t, jpeg), (byIndex[i] = { t, jpeg })) },
    )
    expect(byIndex.length).toBe(r.frames)
    // The very capture of the frame before (not just equal bytes): this frame was not drawn again.
    const repeated = byIndex.filter((f, i) => i > 0 && f.jpeg === byIndex[i - 1]!.jpeg).map((f) => f.t)
    expect(r.stats.captures).toBe(r.frames - repeated.length)
    // Not frozen, the cursor and clock aside: the replayed page itself changes within the clip.
    if (c.changes.some((t) => t > r.start_ms && t <= r.end_ms - 200)) expect(new Set([...shot.values()].map((b) => b.toString('base64'))).size, `${file}: every frame of the page is the same`).toBeGreaterThan(1)
    const random = rng(c.at % 100_000)
    const times = [...shot.keys()]
    const picked = [...new Set([...Array.from({ length: 8 }, () => times[Math.floor(random() * times.length)]!), ...(repeated.length ? Array.from({ length: 8 }, () => repeated[Math.floor(random() * repeated.length)]!) : [])])]
    const ref = await frames.page({ width: r.width, height: r.height }, reader)
    const whole = reader.meta(c.id).windows.find((w) => w.window_id === r.window_ids[0])!.chunks.map((x) => x.seq)
    try {
      for (const t of picked) {
        await ref.load({ session_id: c.id, window_id: r.window_ids[0]!, seqs: whole })
        await ref.seek(t)
        const want = await ref.capture('jpeg')
        expect(shot.get(t)!.equals(want), `${file}: the clip's frame at ${t} (${t - r.start_ms} ms into the clip) differs from a fresh Replayer's`).toBe(true)
      }
    } finally {
      ref.release()
    }
  }, 120_000)
})

describe('hover', () => {
  // rrweb shows hover as a ':hover' class on the hovered node and its ancestors (and rewrites
  // ':hover' rules to match it). A clip must draw it where the page's CSS shows one, and may skip
  // the capture where none can; either way its frames equal a fresh Replayer's.
  const t0 = 1_800_000_000_000
  const move = (dt: number, id: number, x: number, y: number) => ({ type: 3, timestamp: t0 + dt, data: { source: 1, positions: [{ x, y, id, timeOffset: 0 }] } })
  const el = (id: number, tagName: string, attributes: Record<string, string>, childNodes: object[] = []) => ({ type: 2, id, tagName, attributes, childNodes })
  const recording = (css: string) => [
    { type: 4, timestamp: t0, data: { href: 'http://shop.test/', width: 800, height: 450 } },
    {
      type: 2,
      timestamp: t0 + 1,
      data: {
        node: { type: 0, id: 1, childNodes: [el(2, 'html', {}, [el(3, 'head', {}, [el(4, 'style', { _cssText: css })]), el(5, 'body', { style: 'margin: 0' }, [el(6, 'button', { class: 'b' }, [{ type: 3, id: 7, textContent: 'Buy' }]), el(8, 'p', {}, [{ type: 3, id: 9, textContent: 'Nothing to see here' }])])])] },
        initialOffset: { top: 0, left: 0 },
      },
    },
    move(400, 8, 50, 300), // over the paragraph
    move(1_400, 6, 100, 100), // over the button
    move(2_400, 8, 60, 310), // the paragraph again
    move(3_400, 8, 70, 320),
    { type: 5, timestamp: t0 + 4_000, data: { tag: 'end', payload: {} } },
  ]
  const BUTTON = '.b { display: block; width: 400px; height: 200px; border: 0; font-size: 40px; color: white; background: rgb(0, 0, 200); }'

  it.each([
    ['a :hover rule: every hover change is drawn', `${BUTTON} .b:hover { background: rgb(200, 0, 0); }`, 4],
    ['no :hover rule: a hover draws nothing new', BUTTON, 1],
  ])('%s', async (_, css, captures) => {
    const file = path.join(tmp.dir, `hover-${captures}.rrweb.json`)
    fs.writeFileSync(file, JSON.stringify(recording(css)))
    const [imported] = await importFiles(store, [file])
    expect(imported!.error).toBeNull()
    const id = imported!.session_ids![0]!
    const byIndex: { t: number; jpeg: Buffer }[] = []
    const r = await makeClip(
      reader,
      { session_id: id, at: t0, before_ms: 0, after_ms: 4_000, fps: 2, width: 640, decorations: false, pages: 2, out: path.join(tmp.dir, 'hover.webm') },
      { source: frames, onFrame: (i, t, jpeg) => (byIndex[i] = { t, jpeg }) },
    )
    expect(r.frames).toBe(8)
    expect(r.stats.captures).toBe(captures)
    const distinct = new Set(byIndex.map((f) => f.jpeg.toString('base64')))
    // With the rule the button turns red and back (two pictures); without, one picture throughout.
    expect(distinct.size).toBe(captures > 1 ? 2 : 1)
    const ref = await frames.page({ width: r.width, height: r.height }, reader)
    const whole = reader.meta(id).windows[0]!.chunks.map((x) => x.seq)
    try {
      for (const f of byIndex) {
        await ref.load({ session_id: id, window_id: r.window_ids[0]!, seqs: whole })
        await ref.seek(f.t)
        expect(f.jpeg.equals(await ref.capture('jpeg')), `frame at ${f.t - t0} ms differs from a fresh Replayer's`).toBe(true)
      }
    } finally {
      ref.release()
    }
  }, 120_000)
})
