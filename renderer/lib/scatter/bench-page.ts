// The page side of bench/scatter.ts (not part of the app): points in packed columns (as the store sends them) → the
// scatter, timing the first draw and pan/zoom frames. Bundled by esbuild and run in Chromium.
import { packColumns, unpackColumns } from '../../../shared/columns'
import { Scatter } from './scatter'
import { State, type Style } from './style'
import { CpuRenderer } from './cpu'
import type { RendererKind } from './detect'
import type { View } from './view'

function points(n: number) {
  let seed = 7
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const x = new Float32Array(n), y = new Float32Array(n), cluster = new Int32Array(n), tokens = new Float32Array(n)
  const centres = Array.from({ length: 40 }, () => [rnd() * 20 - 10, rnd() * 20 - 10, 0.3 + rnd()])
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * (centres.length + 4))
    const [cx, cy, s] = centres[c] ?? [0, 0, 8]
    const r = Math.sqrt(-2 * Math.log(rnd() + 1e-9)) * s!, a = rnd() * 2 * Math.PI
    x[i] = cx! + r * Math.cos(a)
    y[i] = cy! + r * Math.sin(a)
    cluster[i] = c < centres.length ? c : -1
    tokens[i] = 100 + rnd() * 4000
  }
  return packColumns({ x, y, cluster, tokens }, { n })
}

const frame = () => new Promise<number>((r) => requestAnimationFrame(r))

const stats = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q)
  return { median: +s[s.length >> 1]!.toFixed(1), p95: +s[Math.floor(s.length * 0.95)]!.toFixed(1) }
}

/** `shift`: false draws every pan frame in full (the CPU path before it moved the last image). */
async function run(n: number, force: RendererKind | null, count = 60, shift = true, keep = false) {
  const buf = points(n)
  // The app's layout of the two canvases (cluster.css): the overlay over the drawing, taking the pointer.
  document.body.innerHTML = '<style>#host canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block } .scatter-overlay { touch-action: none }</style><div id="host" style="position:relative;width:1000px;height:700px"></div>'
  const host = document.getElementById('host')!
  await frame()
  const t0 = performance.now()
  const { columns } = unpackColumns<{ x: Float32Array; y: Float32Array; cluster: Int32Array; tokens: Float32Array }, { n: number }>(buf)
  const scatter = new Scatter(host, {}, force)
  if (scatter.renderer instanceof CpuRenderer) scatter.renderer.shiftPans = shift
  scatter.setPoints(columns.x, columns.y)
  const color = new Uint8Array(n), size = new Uint8Array(n), state = new Uint8Array(n).fill(State.Normal)
  for (let i = 0; i < n; i++) {
    color[i] = columns.cluster[i]! < 0 ? 255 : columns.cluster[i]! % 24
    size[i] = 48 + Math.min(80, columns.tokens[i]! / 60)
  }
  const palette = new Uint8Array(1024)
  for (let k = 0; k < 256; k++) palette.set(k === 255 ? [170, 170, 170, 255] : [(k * 97) % 256, (k * 57) % 256, (k * 151) % 256, 255], 4 * k)
  const style: Style = { color, size, state, palette, background: [255, 255, 255, 255], ring: [20, 20, 20, 255] }
  scatter.setStyle(style)
  scatter.drawNow()
  readBack(scatter)
  await frame()
  const first = performance.now() - t0
  // A drag (the camera moves a few px a frame) and then a wheel zoom in and out; each frame
  // moves the camera, draws, and waits for the browser to present it.
  const measure = async (step: (v: View, k: number) => View) => {
    const frames: number[] = [], draws: number[] = []
    let v = scatter.getView()
    for (let k = 0; k < count; k++) {
      const f0 = performance.now()
      v = step(v, k)
      scatter.setView(v)
      draws.push(scatter.drawNow())
      readBack(scatter)
      await frame()
      frames.push(performance.now() - f0)
    }
    return { frame: stats(frames), draw: stats(draws) }
  }
  const pan = await measure((v, k) => ({ ...v, cx: v.cx + (k % 20 < 10 ? 6 : -6) / v.scale, cy: v.cy + (k % 10 < 5 ? 3 : -3) / v.scale }))
  // In to about 6× and back out (the wheel held one way, then the other).
  const zoom = await measure((v, k) => ({ ...v, scale: v.scale * (k < count / 2 ? 1.03 : 1 / 1.03) }))
  const kind = scatter.renderer.kind
  const reason = scatter.reason
  kept?.destroy()
  kept = null
  if (keep) kept = scatter
  else scatter.destroy()
  return { n, kind, reason, first_ms: Math.round(first), pan, zoom }
}
// Real input on the kept scatter (bench/scatter.ts drags and hovers with the mouse): the time
// between frames while the events come, and how the frames were drawn.
let kept: Scatter | null = null
let ticks: number[] = []
let ticking = false
function recordStart() {
  ticks = []
  ticking = true
  const tick = (t: number) => {
    ticks.push(t)
    if (ticking) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
  const r = kept!.renderer
  return r instanceof CpuRenderer ? { ...r.counts } : null
}
function recordStop() {
  ticking = false
  const gaps = ticks.slice(1).map((t, k) => t - ticks[k]!)
  const r = kept!.renderer
  return { frames: gaps.length, ms: Math.round(ticks.at(-1)! - ticks[0]!), ...stats(gaps), counts: r instanceof CpuRenderer ? { ...r.counts } : null }
}
;(window as unknown as { benchInput: unknown }).benchInput = { recordStart, recordStop }

// WebGL draws asynchronously: reading one pixel back makes the timing include the GPU's work.
function readBack(s: Scatter) {
  if (s.renderer.kind !== 'webgl') return
  const gl = s.canvas.getContext('webgl2')!
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4))
}

;(window as unknown as { benchScatter: typeof run }).benchScatter = run
