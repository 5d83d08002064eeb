// Clip rendering speed: clip seconds per wall second for a 10 s clip of the S2 sample (dead and
// rage clicks) at 1 and 10 fps, at 640×360, 960×540 and 1280×720, cold (browser launched for the
// clip) and warm (browser and pages kept; median of 3), with ms per frame for seek, capture and
// ffmpeg CPU, and VP8 against VP9. Reference: PostHog's stated 8–10× real time.
// Usage: npx tsx bench/clip.ts [--runs N]   (needs the built frame page: npx electron-vite build)
import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { ChromiumFrames, makeClip, type ReplayReader } from '../electron/clips'
import { importFiles } from '../electron/import'
import { replayChunks, replayMeta } from '../electron/replay'
import { openStore } from '../electron/store'

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-clip-'))
const store = openStore(path.join(dir, 'bench.db'))
const [r] = await importFiles(store, [path.resolve('../shared/samples/sessions/S2-checkout-typeerror-rage-leave.rrweb.json.gz')])
const id = r!.session_ids![0]!
const reader: ReplayReader = { meta: (i) => replayMeta(store, i), chunks: (i, w, s) => replayChunks(store, i, w, s) }
const start = reader.meta(id).session.start_ms
const at = start + 11_600 // 9.6–19.6 s, as ../shared/research/clip-rendering.md
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const PEOPLE_REF = 8 // PostHog: 8–10× real time

console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores; median of ${runs} warm runs`)
// Cold: launch, page, first clip (1 fps, 640×360) from nothing.
{
  const t0 = performance.now()
  const frames = await ChromiumFrames.launch()
  const launched = performance.now()
  const c = await makeClip(reader, { session_id: id, at, fps: 1, width: 640, out: path.join(dir, 'cold.webm') }, { source: frames })
  const total = performance.now() - t0
  console.log(`cold first clip 1 fps 640×360: ${total.toFixed(0)} ms total (launch ${(launched - t0).toFixed(0)} ms, page + clip ${c.wall_ms} ms) = ${(10_000 / total).toFixed(1)}× real time (goal ≤ 1500 ms)`)
  await frames.close()
}
const frames = await ChromiumFrames.launch()
console.log('\nsize      fps  codec  ×real  wall ms  seek ms/f  capture ms/f  ffmpeg cpu ms/f  KB    vs PostHog 8×')
for (const [w, h] of [[640, 360], [960, 540], [1280, 720]] as const) {
  for (const fps of [1, 10]) {
    for (const codec of fps === 10 && w === 960 ? (['vp9', 'vp8'] as const) : (['vp9'] as const)) {
      const out = path.join(dir, `${w}-${fps}-${codec}.webm`)
      await makeClip(reader, { session_id: id, at, fps, width: w, height: h, codec, out }, { source: frames }) // warm-up: pages loaded
      const res: Awaited<ReturnType<typeof makeClip>>[] = []
      for (let i = 0; i < runs; i++) res.push(await makeClip(reader, { session_id: id, at, fps, width: w, height: h, codec, out }, { source: frames }))
      const m = res.find((x) => x.wall_ms === median(res.map((y) => y.wall_ms)))!
      const n = m.frames
      const speed = 10_000 / m.wall_ms
      console.log(
        `${`${w}×${h}`.padEnd(9)} ${String(fps).padStart(3)}  ${codec}   ${speed.toFixed(1).padStart(5)}  ${String(m.wall_ms).padStart(7)}  ${(m.stats.seek_ms / n).toFixed(1).padStart(9)}  ${(m.stats.capture_ms / n).toFixed(1).padStart(12)}  ${(m.stats.encode_cpu_ms / n).toFixed(1).padStart(15)}  ${String(Math.round(m.bytes / 1024)).padStart(4)}  ${(speed / PEOPLE_REF).toFixed(2)}`,
      )
    }
  }
}
await frames.close()
store.close()
fs.rmSync(dir, { recursive: true, force: true })
