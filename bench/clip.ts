// Clip rendering speed: clip seconds per wall second for a 10 s clip of the S2 sample (dead and
// rage clicks) at 1 and 10 fps, at 640×360, 768×432 (the app's model clip), 960×540 and 1280×720,
// cold (a process's first clip: browser launched, frame page opened, ffmpeg started) and warm
// (browser and pages kept; median of 3), with how many frames were captured (only
// those whose page changed are), ms per capture for seek and capture, ffmpeg CPU ms per frame, CPU
// ms per frame of the whole (node, browser, ffmpeg), the load average, VP8 against VP9, and ffmpeg
// started for the clip ('now') against one started ahead ('ahead', as the app does on clips:warm).
// Then the key rows again for a page whose CSS has a :hover rule (more frames captured).
// Reference: PostHog's stated 8–10× real time.
// Usage: npx tsx bench/clip.ts [--runs N]   (needs the built frame page: npx electron-vite build)
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import zlib from 'node:zlib'
import { ChromiumFrames, closeFrameSource, makeClip, type ReplayReader } from '../electron/clips'
import { closeEncoders, warmEncoder } from '../electron/clips/encode'
import { defaultCodec, encoderSetup } from '../electron/clips/render'
import { importFiles } from '../electron/import'
import { replayChunks, replayMeta } from '../electron/replay'
import { openStore } from '../electron/store'
import { treeCpuMs } from './proc-cpu'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-clip-'))
const store = openStore(path.join(dir, 'bench.db'))
const S2 = path.resolve('../shared/samples/sessions/S2-checkout-typeerror-rage-leave.rrweb.json.gz')
const [r] = await importFiles(store, [S2])
const id = r!.session_ids![0]!
const reader: ReplayReader = { meta: (i) => replayMeta(store, i), chunks: (i, w, s) => replayChunks(store, i, w, s) }
const start = reader.meta(id).session.start_ms
const at = start + 11_600 // 9.6–19.6 s, as ../shared/research/clip-rendering.md
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const PEOPLE_REF = 8 // PostHog: 8–10× real time

const load = () => os.loadavg()[0]!.toFixed(1)
const cpuSince = (c0: number | null) => {
  const c = treeCpuMs()
  return c === null || c0 === null ? NaN : c - c0
}
console.log(`${os.availableParallelism()} cores; load average (1 min) on each row: the machine is shared, so wall time swings with it; CPU ms is this process, the browser and ffmpeg together`)
const SIZES = [[640, 360], [768, 432], [960, 540], [1280, 720]] as const

// Cold: the first clip of a process (as the CLI's): Chromium launched, the frame page opened and
// ffmpeg started at once, the clip drawn; then everything closed again.
console.log('\ncold      fps  ×real  total ms  cpu ms  load')
for (const [w, h] of SIZES) {
  for (const fps of [1, 10]) {
    const c0 = treeCpuMs()
    const t0 = performance.now()
    await makeClip(reader, { session_id: id, at, fps, width: w, height: h, out: path.join(dir, 'cold.webm') })
    const total = performance.now() - t0
    console.log(`${`${w}×${h}`.padEnd(9)} ${String(fps).padStart(3)}  ${(10_000 / total).toFixed(1).padStart(5)}  ${total.toFixed(0).padStart(8)}  ${cpuSince(c0).toFixed(0).padStart(6)}  ${load()}`)
    await closeFrameSource()
  }
}
console.log('(goal: cold first clip ≤ 1500 ms)')

// Warm: browser launched and the frame pages holding the clip's events (one warm-up clip first).
const frames = await ChromiumFrames.launch()

/** The median of `runs` warm clips (after a warm-up clip that loads the pages), each with an ffmpeg
 * started ahead if `ahead`, given time to start between clips as a user's clicks would. */
async function warmRuns(from: ReplayReader, clip: Parameters<typeof makeClip>[1], ahead: boolean) {
  await makeClip(from, clip, { source: frames })
  const res: { clip: Awaited<ReturnType<typeof makeClip>>; cpu: number }[] = []
  for (let i = 0; i < runs; i++) {
    if (ahead) {
      await warmEncoder(encoderSetup({ fps: clip.fps!, width: clip.width!, height: clip.height! }, clip.codec))
      await new Promise((r) => setTimeout(r, 500))
    }
    const c0 = treeCpuMs()
    res.push({ clip: await makeClip(from, clip, { source: frames }), cpu: cpuSince(c0) })
  }
  await closeEncoders()
  const mid = median(res.map((x) => x.clip.wall_ms))
  return res.find((x) => x.clip.wall_ms === mid)!
}

console.log(`\nwarm, median of ${runs}`)
console.log('size      fps  codec  ffmpeg ×real  wall ms  captured  seek ms/c  capture ms/c  ffmpeg cpu ms/f  cpu ms/f  KB    load  vs PostHog 8×')
for (const [w, h] of SIZES) {
  for (const fps of [1, 10]) {
    // Each codec with ffmpeg started for the clip, then the default codec with one started ahead
    // (as after clips:warm).
    for (const [codec, ahead] of [['vp9', false], ['vp8', false], [defaultCodec(fps), true]] as const) {
      const out = path.join(dir, `${w}-${fps}-${codec}.webm`)
      const { clip: m, cpu } = await warmRuns(reader, { session_id: id, at, fps, width: w, height: h, codec, out }, ahead)
      const n = m.frames
      const speed = 10_000 / m.wall_ms
      console.log(
        `${`${w}×${h}`.padEnd(9)} ${String(fps).padStart(3)}  ${codec}   ${(ahead ? 'ahead' : 'now').padEnd(6)} ${speed.toFixed(1).padStart(5)}  ${String(m.wall_ms).padStart(7)}  ${`${m.stats.captures}/${n}`.padStart(8)}  ${(m.stats.seek_ms / m.stats.captures).toFixed(1).padStart(9)}  ${(m.stats.capture_ms / m.stats.captures).toFixed(1).padStart(12)}  ${(m.stats.encode_cpu_ms / n).toFixed(1).padStart(15)}  ${(cpu / n).toFixed(0).padStart(8)}  ${String(Math.round(m.bytes / 1024)).padStart(4)}  ${load().padStart(4)}  ${(speed / PEOPLE_REF).toFixed(2)}`,
      )
    }
  }
}

// The same clips of S2 with one ':hover' rule added to its style sheet (matching nothing): its own
// CSS has none, so a pointer move draws nothing new there and is not captured (decor.ts); on a
// page whose CSS can show hover, each move onto another element is. These rows are that cost.
const hoverFile = path.join(dir, 'S2-with-hover-css.rrweb.json')
const s2 = JSON.parse(zlib.gunzipSync(fs.readFileSync(S2)).toString()) as { type: number; data: { node?: unknown } }[]
const withCss = (n: { attributes?: Record<string, string>; childNodes?: unknown[] }): boolean => {
  if (typeof n.attributes?._cssText === 'string') return ((n.attributes._cssText += ' .sightline-bench:hover { color: red; }'), true)
  return (n.childNodes ?? []).some((c) => withCss(c as typeof n))
}
// Every page load of it (S2 navigates three times).
for (const e of s2.filter((x) => x.type === 2)) if (!withCss(e.data.node as object)) throw new Error('an S2 page has no style sheet to add a rule to')
fs.writeFileSync(hoverFile, JSON.stringify(s2))
// A store of its own: in the first, its events would be the same session's, already imported.
const hoverStore = openStore(path.join(dir, 'hover.db'))
const [h] = await importFiles(hoverStore, [hoverFile])
const hoverId = h!.session_ids![0]!
const hoverReader: ReplayReader = { meta: (i) => replayMeta(hoverStore, i), chunks: (i, w, s) => replayChunks(hoverStore, i, w, s) }
console.log(`\nwarm, ffmpeg ahead, a page whose CSS has a :hover rule (median of ${runs})`)
console.log('size      fps  ×real  wall ms  captured  cpu ms/f  load')
for (const [w, h, fps] of [[768, 432, 1], [960, 540, 1], [960, 540, 10]] as const) {
  const { clip: m, cpu } = await warmRuns(hoverReader, { session_id: hoverId, at, fps, width: w, height: h, out: path.join(dir, 'hover.webm') }, true)
  console.log(`${`${w}×${h}`.padEnd(9)} ${String(fps).padStart(3)}  ${(10_000 / m.wall_ms).toFixed(1).padStart(5)}  ${String(m.wall_ms).padStart(7)}  ${`${m.stats.captures}/${m.frames}`.padStart(8)}  ${(cpu / m.frames).toFixed(0).padStart(8)}  ${load().padStart(4)}`)
}
await frames.close()
store.close()
hoverStore.close()
fs.rmSync(dir, { recursive: true, force: true })
