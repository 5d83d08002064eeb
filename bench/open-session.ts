// Time to the first frame when opening a session, for a 1-minute and a 1-hour recording, in the
// real renderer (headless Chromium, web mode). Goal: the hour opens as fast as the minute.
//   npx tsx bench/open-session.ts
import fs from 'node:fs'
import path from 'node:path'
import { importFiles } from '../electron/import'
import { startWeb } from '../test/e2e/harness'
import { writeRecording } from './gen-recording'

const web = await startWeb()
const sessions: Record<string, string> = {}
for (const [name, durationMs] of [['1 min', 60_000], ['1 hour', 3_600_000]] as const) {
  const file = path.join(web.dir, `${name.replace(' ', '')}.rrweb.json`)
  const events = await writeRecording(file, { durationMs, start: Date.UTC(2026, 0, 1) + durationMs })
  const t0 = performance.now()
  const [r] = await importFiles(web.core.store, [file])
  if (r!.error) throw new Error(r!.error)
  console.log(`${name}: ${events} events, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  sessions[name] = web.core.store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 1, offset: 0 }).rows[0]!.id
}

const { page, server } = web
await page.goto(server.url)
await page.waitForSelector('h1:text("Library")')

/** Navigate to the session at `t` and wait until the replay shows the heading for that moment. */
async function firstFrame(id: string, t: number): Promise<number> {
  await page.goto(server.url.replace(/#.*/, '#/library'))
  await page.waitForSelector('h1:text("Library")')
  const t0 = performance.now()
  await page.goto(server.url.replace(/#.*/, `#/session/${encodeURIComponent(id)}?t=${t}`))
  await page.frameLocator('[data-testid="replay-mount"] iframe').locator('#title').waitFor({ timeout: 60_000 })
  return performance.now() - t0
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function runs(id: string, t: number): Promise<number> {
  const out: number[] = []
  for (let i = 0; i < 5; i++) out.push(await firstFrame(id, t))
  return median(out)
}

const minute = await runs(sessions['1 min']!, 30_000)
const hourStart = await runs(sessions['1 hour']!, 0)
const hourMiddle = await runs(sessions['1 hour']!, 1_830_000)
console.log(`first frame, median of 5:`)
console.log(`  1-minute session at 0:30   ${minute.toFixed(0)} ms`)
console.log(`  1-hour session at 0:00     ${hourStart.toFixed(0)} ms`)
console.log(`  1-hour session at 30:30    ${hourMiddle.toFixed(0)} ms`)
console.log(`ratio 1-hour (30:30) / 1-minute: ${(hourMiddle / minute).toFixed(2)}  (goal: ≈ 1, and ≤ 1000 ms each)`)
await web.close()
