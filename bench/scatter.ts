// The cluster explorer's scatter at 100k and 1M points in headless Chromium (the e2e flags): the
// first draw (packed columns unpacked, index built, styled, drawn and presented) and a pan/zoom
// frame, with the renderer the page detects (CPU where WebGL is software) and, for comparison,
// WebGL forced.   npx tsx bench/scatter.ts [--sizes 100000,1000000]
import os from 'node:os'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/harness'

const sizes = (process.argv.includes('--sizes') ? process.argv[process.argv.indexOf('--sizes') + 1]! : '100000,1000000').split(',').map(Number)
const bundle = await build({ entryPoints: [new URL('../renderer/lib/scatter/bench-page.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', target: 'chrome120' })
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
await page.setContent('<!doctype html><html><body style="margin:0"></body></html>')
await page.addScriptTag({ content: bundle.outputFiles[0]!.text })
type Result = { n: number; kind: string; reason: string; first_ms: number; frame_median_ms: number; frame_p95_ms: number; draw_median_ms: number }
console.log('points     renderer  first draw   frame median   frame p95   (draw only)')
for (const force of [null, 'webgl'] as const) {
  for (const n of sizes) {
    const r = await page.evaluate(([n, force]) => (globalThis as unknown as { benchScatter: (n: number, f: string | null) => Promise<Result> }).benchScatter(n, force), [n, force] as const)
    const ok = r.first_ms <= 2000 && r.frame_p95_ms <= 50 ? 'ok' : 'OVER BUDGET'
    console.log(`${String(n).padStart(9)}  ${(r.kind + (force ? '*' : '')).padEnd(8)} ${String(r.first_ms).padStart(7)} ms ${String(r.frame_median_ms).padStart(10)} ms ${String(r.frame_p95_ms).padStart(9)} ms  (${r.draw_median_ms} ms)  ${ok}  ${force ? '' : r.reason}`)
  }
}
console.log('budget: first draw ≤ 2000 ms, pan/zoom frame ≤ 50 ms.  * = WebGL forced (software here)')
// Wall-clock numbers: on a shared machine they include waiting for a core.
console.log(`load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`)
await browser.close()
