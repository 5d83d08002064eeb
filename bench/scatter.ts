// The cluster explorer's scatter at 100k and 1M points in headless Chromium (the e2e flags): the
// first draw (packed columns unpacked, index built, styled, drawn and presented), pan frames (a
// drag) and zoom frames (the wheel), with the renderer the page detects (CPU where WebGL is
// software); then, on the same page, the CPU path drawing every pan frame in full (as it did before
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
for (const [force, shift] of runs) {
  for (const n of sizes) {
    const r = await page.evaluate(([n, force, frames, shift]) => (globalThis as unknown as { benchScatter: (n: number, f: string | null, c: number, s: boolean) => Promise<Result> }).benchScatter(n, force, frames, shift), [n, force, frames, shift] as const)
    const ok = r.first_ms <= 2000 && r.pan.frame.p95 <= 50 && r.zoom.frame.p95 <= 50 ? 'ok' : 'OVER BUDGET'
    const f = (s: { frame: Stats; draw: Stats }) => `${String(s.frame.median).padStart(6)} / ${String(s.frame.p95).padStart(6)} ms (${s.draw.median} ms)`.padEnd(33)
    const label = r.kind + (force ? '*' : '') + (r.kind === 'cpu' && !shift ? ' (full)' : '')
    console.log(`${String(n).padStart(9)}  ${label.padEnd(12)} ${String(r.first_ms).padStart(7)} ms   ${f(r.pan)} ${f(r.zoom)} ${ok}  ${force || !shift ? '' : r.reason}`)
  }
}
console.log('budget: first draw ≤ 2000 ms, pan/zoom frame ≤ 50 ms.  * = WebGL forced (software here); (full) = every pan frame drawn in full')
// Wall-clock numbers: on a shared machine they include waiting for a core.
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`)
await browser.close()
