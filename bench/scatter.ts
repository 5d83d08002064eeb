// The cluster explorer's scatter at 100k and 1M points in headless Chromium (the e2e flags): the
// first draw (packed columns unpacked, index built, styled, drawn and presented), pan frames (a
// drag) and zoom frames (the wheel), with the renderer the page detects (CPU where WebGL is
// software), and a drag and a hover with the mouse on the 1M scatter (real pointer events:
// the time between frames while they come); then, on the same page, the CPU path drawing every pan frame in full (as it did before
// a pan moved the last image) and WebGL forced, for comparison.
//   npx tsx bench/scatter.ts [--sizes 100000,1000000] [--frames 60] [--no-webgl]
import os from 'node:os'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/harness'

const arg = (name: string, d: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : d)
const sizes = arg('--sizes', '100000,1000000').split(',').map(Number)
const frames = Number(arg('--frames', '60'))
const bundle = await build({ entryPoints: [new URL('../renderer/lib/scatter/bench-page.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', target: 'chrome120' })
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
await page.setContent('<!doctype html><html><body style="margin:0"></body></html>')
await page.addScriptTag({ content: bundle.outputFiles[0]!.text })
type Stats = { median: number; p95: number }
type Result = { n: number; kind: string; reason: string; first_ms: number; pan: { frame: Stats; draw: Stats }; zoom: { frame: Stats; draw: Stats } }
console.log('points     renderer      first draw   pan frame med / p95 (draw med)   zoom frame med / p95 (draw med)')
const runs: [string | null, boolean][] = [[null, true], [null, false], ...(process.argv.includes('--no-webgl') ? [] : [['webgl', true] as [string, boolean]])]
type Tally = { frames: number; ms: number; median: number; p95: number; counts: { shifted: number; inView: number; full: number } | null }
// A drag across the scatter and back (pan), then the cursor wandering over it (hover), as mouse events.
async function input(): Promise<string> {
  const call = (fn: 'recordStart' | 'recordStop') => page.evaluate((fn) => (globalThis as unknown as { benchInput: Record<string, () => unknown> }).benchInput[fn]!(), fn)
  const out: string[] = []
  for (const kind of ['drag', 'hover'] as const) {
    await page.mouse.move(300, 300)
    const before = (await call('recordStart')) as Tally['counts']
    if (kind === 'drag') await page.mouse.down()
    for (let k = 0; k < 240; k++) await page.mouse.move(300 + 200 * Math.sin(k / 20), 300 + 120 * Math.sin(k / 13))
    if (kind === 'drag') await page.mouse.up()
    const r = (await call('recordStop')) as Tally
    const drawn = r.counts && before ? ` (${r.counts.shifted - before.shifted} shifted, ${r.counts.inView - before.inView + r.counts.full - before.full} whole draws)` : ''
    out.push(`${kind} 240 moves in ${r.ms} ms, ${r.frames} frames, median ${r.median.toFixed(1)} / p95 ${r.p95.toFixed(1)} ms${drawn}`)
  }
  return out.join('; ')
}
const inputs: string[] = []
for (const [force, shift] of runs) {
  for (const n of sizes) {
    const keep = force === null && n === Math.max(...sizes)
    const r = await page.evaluate(([n, force, frames, shift, keep]) => (globalThis as unknown as { benchScatter: (n: number, f: string | null, c: number, s: boolean, k: boolean) => Promise<Result> }).benchScatter(n, force, frames, shift, keep), [n, force, frames, shift, keep] as const)
    if (keep) inputs.push(`${n} ${shift ? 'cpu' : 'cpu (full)'}: ${await input()}`)
    const ok = r.first_ms <= 2000 && r.pan.frame.p95 <= 50 && r.zoom.frame.p95 <= 50 ? 'ok' : 'OVER BUDGET'
    const f = (s: { frame: Stats; draw: Stats }) => `${String(s.frame.median).padStart(6)} / ${String(s.frame.p95).padStart(6)} ms (${s.draw.median} ms)`.padEnd(33)
    const label = r.kind + (force ? '*' : '') + (r.kind === 'cpu' && !shift ? ' (full)' : '')
    console.log(`${String(n).padStart(9)}  ${label.padEnd(12)} ${String(r.first_ms).padStart(7)} ms   ${f(r.pan)} ${f(r.zoom)} ${ok}  ${force || !shift ? '' : r.reason}`)
  }
}
for (const line of inputs) console.log('mouse on ' + line)
console.log('budget: first draw ≤ 2000 ms, pan/zoom frame ≤ 50 ms.  * = WebGL forced (software here); (full) = every pan frame drawn in full')
// Wall-clock numbers: on a shared machine they include waiting for a core.
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`)
await browser.close()
