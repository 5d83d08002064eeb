/// <reference lib="dom" />
// Playback time in headless Chromium, measured with the page's own clock (performance.now): a
// 78 s idle gap passes in at most 1 s of wall time at any speed when "Skip inactive" is on, plays
// at the chosen speed when it is off, and active stretches play at the chosen speed.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { replayMeta } from '../../electron/replay'
import { startWeb, type Web } from './harness'
import { generateRecording } from './replay-fixtures'

let web: Web
let sessionId = ''
let gap: [number, number] = [0, 0]
const START = Date.UTC(2026, 10, 3, 9, 0, 0)

beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1280, height: 800 } })
  const file = path.join(web.dir, 'idle.rrweb.json')
  // Active 0–30 s, nothing at all for 78 s, active again 108–125 s.
  fs.writeFileSync(file, JSON.stringify(generateRecording({ seed: 3, start: START, pageLoads: [0], durationMs: 125_000, idle: [[30_000, 108_000]], stepMs: 250 })))
  const [r] = await importFiles(web.core.store, [file])
  expect(r!.error).toBeNull()
  sessionId = r!.session_ids![0]!
  const meta = replayMeta(web.core.store, sessionId)
  expect(meta.inactive).toHaveLength(1)
  gap = [meta.inactive[0]![0] - meta.session.start_ms, meta.inactive[0]![1] - meta.session.start_ms]
  expect(gap[1] - gap[0]).toBeGreaterThan(77_000)
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
  await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(sessionId)}?t=0`))
  await web.page.getByTestId('replay-mount').locator('iframe').waitFor({ state: 'attached' })
}, 60_000)

afterAll(async () => web?.close())

const settled = () => expect.poll(() => web.page.getByTestId('replay-mount').getAttribute('data-settled'), { timeout: 10_000 }).toBe('true')

async function seekPaused(ms: number): Promise<void> {
  if ((await web.page.getByTestId('replay-mount').getAttribute('data-status')) === 'playing') await web.page.keyboard.press('Space')
  await settled()
  await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(sessionId)}?t=${ms}`))
  await expect.poll(async () => Math.abs(Number(await web.page.getByTestId('clock').getAttribute('data-ms')) - ms), { timeout: 10_000 }).toBeLessThan(50)
  await settled()
}

/**
 * Plays and records, in the page, the wall time (performance.now) at which the clock first shows
 * at least each of `marks` (ms from the start), giving up after `limitMs` of wall time.
 */
async function playAndTime(marks: number[], limitMs: number): Promise<(number | null)[]> {
  return web.page.evaluate(
    ([marks, limitMs]) =>
      new Promise<(number | null)[]>((resolve) => {
        const clock = document.querySelector('[data-testid="clock"]')!
        const seen: (number | null)[] = marks.map(() => null)
        const t0 = performance.now()
        const check = () => {
          const ms = Number(clock.getAttribute('data-ms'))
          marks.forEach((m, i) => {
            if (seen[i] === null && ms >= m) seen[i] = performance.now() - t0
          })
          if (seen.every((s) => s !== null) || performance.now() - t0 > limitMs) resolve(seen)
          else requestAnimationFrame(check)
        }
        ;(document.querySelector('[data-testid="play"]') as HTMLButtonElement).click()
        requestAnimationFrame(check)
      }),
    [marks, limitMs] as const,
  )
}

const setSpeed = (x: number) => web.page.locator('.segmented button', { hasText: `${x}×` }).click()
const skipBox = () => web.page.getByLabel(/Skip inactive/)

describe('playback clock', () => {
  it.each([1, 16])('an idle gap of 78 s passes in ≤ 1 s of wall time at %i×', async (speed) => {
    await seekPaused(gap[0] - 500 * speed)
    await setSpeed(speed)
    expect(await skipBox().isChecked()).toBe(true)
    const [atGap, afterGap] = await playAndTime([gap[0], gap[1]], 10_000)
    expect(atGap, 'reached the gap').not.toBeNull()
    expect(afterGap, 'passed the gap').not.toBeNull()
    expect(afterGap! - atGap!).toBeLessThanOrEqual(1_000)
    console.info(`idle gap of ${gap[1] - gap[0]} ms at ${speed}×: ${Math.round(afterGap! - atGap!)} ms of wall time`)
  })

  it.each([1, 4])('an active stretch plays at %i×', async (speed) => {
    // A deep link to the moment the page is already at would not navigate: one per speed.
    await seekPaused(1_000 + speed * 10)
    await setSpeed(speed)
    const from = 2_000
    const to = from + 2_500 * speed
    const [a, b] = await playAndTime([from, to], 15_000)
    expect(b, 'reached the second mark').not.toBeNull()
    const rate = (to - from) / (b! - a!)
    console.info(`active stretch at ${speed}×: ${rate.toFixed(2)}× measured`)
    expect(rate).toBeGreaterThan(speed * 0.85)
    expect(rate).toBeLessThan(speed * 1.15)
  })

  it('with "Skip inactive" off the gap plays at the chosen speed', async () => {
    await seekPaused(gap[0] + 1_000)
    await setSpeed(16)
    await skipBox().uncheck()
    const [a, b] = await playAndTime([gap[0] + 3_000, gap[0] + 3_000 + 32_000], 10_000)
    expect(b, 'reached the second mark').not.toBeNull()
    const rate = 32_000 / (b! - a!)
    console.info(`idle gap, skip off, at 16×: ${rate.toFixed(2)}× measured`)
    expect(rate).toBeGreaterThan(16 * 0.85)
    expect(rate).toBeLessThan(16 * 1.15)
  })
})
