// Replay exactness in headless Chromium: after any seek or run of overlapping seeks (slider, marker,
// event row, keys, deep link), the paused player's frame is exactly what a fresh Replayer given the
// whole recording shows at that moment. Every sample session, and generated sessions longer than
// the player's read-ahead with several page loads, so the controller's extend and rebuild paths run.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { replayMeta } from '../../electron/replay'
import { repoRoot, sharedSamples } from '../helpers'
import { startWeb, type Web } from './harness'
import { firstDifference, playerDom, referenceDom, windowEvents } from './replay-dom'
import { generateRecording, rng } from './replay-fixtures'

let web: Web
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0)

const SAMPLE_FILES = [
  path.join(repoRoot, 'resources/samples/demo-shop.rrweb.json'),
  ...fs
    .readdirSync(path.join(sharedSamples, 'sessions'))
    .filter((f) => /\.rrweb\.json(\.gz)?$|posthog-export\.json(\.gz)?$/.test(f))
    .map((f) => path.join(sharedSamples, 'sessions', f)),
]

/** Two generated sessions: 150 s with 4 page loads, and 100 s with a load right at a chunk edge. */
const GENERATED = [
  { seed: 7, start: T0, pageLoads: [0, 38_000, 71_000, 120_000], durationMs: 150_000 },
  { seed: 99, start: T0 + 3_600_000, pageLoads: [0, 30_000, 60_000], durationMs: 100_000, stepMs: 150 },
]

interface Case {
  name: string
  sessionId: string
}
const cases: Case[] = []

beforeAll(async () => {
  web = await startWeb({ viewport: { width: 1400, height: 900 } })
  const files = [...SAMPLE_FILES]
  GENERATED.forEach((g, i) => {
    const f = path.join(web.dir, `generated-${i}.rrweb.json`)
    fs.writeFileSync(f, JSON.stringify(generateRecording(g)))
    files.push(f)
  })
  for (const f of files) {
    const results = await importFiles(web.core.store, [f])
    for (const r of results) {
      expect(r.error, f).toBeNull()
      for (const id of r.session_ids ?? []) if (!cases.some((c) => c.sessionId === id)) cases.push({ name: path.basename(f), sessionId: id })
    }
  }
  await web.page.goto(web.server.url)
  await web.page.waitForSelector('h1:text("Library")')
}, 120_000)

afterAll(async () => web?.close())

const mount = () => web.page.getByTestId('replay-mount')
const playheadMs = async () => Number(await web.page.getByTestId('clock').getAttribute('data-ms'))

/** Waits until the player has done every seek asked of it and is paused; returns its moment. Right
 * after a key or click the page may still show the previous settled state for a render: settled,
 * moment and window must read the same across two animation frames. */
async function settled(what: string): Promise<{ t: number; windowId: string }> {
  const deadline = Date.now() + 15_000
  const read = () =>
    web.page.evaluate(() => {
      const m = document.querySelector('[data-testid="replay-mount"]')
      const clock = document.querySelector('[data-testid="clock"]')
      return [m?.getAttribute('data-settled'), m?.getAttribute('data-start'), clock?.getAttribute('data-ms'), m?.getAttribute('data-window')].join('|')
    })
  const frames = () => web.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  for (;;) {
    const before = await read()
    await frames()
    if (before.startsWith('true|') && (await read()) === before) break
    if (Date.now() > deadline) expect.fail(`${what}: the player did not settle (status ${await mount().getAttribute('data-status')}, ${await web.page.locator('.player-note').allInnerTexts()})`)
    await web.page.waitForFunction(() => document.querySelector('[data-testid="replay-mount"]')?.getAttribute('data-settled') === 'true', null, { timeout: 1_000 }).catch(() => {})
  }
  const start = Number(await mount().getAttribute('data-start'))
  return { t: start + (await playheadMs()), windowId: (await mount().getAttribute('data-window'))! }
}

async function expectExact(sessionId: string, what: string): Promise<void> {
  const { t, windowId } = await settled(what)
  const events = windowEvents(web.core.store, sessionId, windowId)
  const [mine, ref] = [await playerDom(web.page), await referenceDom(web.page, events, t)]
  // A mismatch names the session, the steps that led here and the first differing markup.
  if (mine !== ref) expect.fail(`${what}: frame at ${await playheadMs()} ms (window ${windowId}) differs: ${firstDifference(mine, ref)}`)
}

type Step = (r: () => number) => Promise<string>

const slider: Step = async (r) => {
  const box = (await web.page.locator('.timeline').boundingBox())!
  const x = Math.max(1, Math.floor(r() * (box.width - 2)))
  await web.page.mouse.click(box.x + x, box.y + box.height - 2)
  return `slider@${x}px`
}
const key: Step = async (r) => {
  const k = ['ArrowRight', 'ArrowLeft', 'Shift+ArrowRight', 'Shift+ArrowLeft'][Math.floor(r() * 4)]!
  await web.page.keyboard.press(k)
  return k
}
const marker: Step = async (r) => {
  const markers = web.page.locator('.timeline .marker')
  const n = await markers.count()
  if (n === 0) return slider(r)
  const i = Math.floor(r() * n)
  await markers.nth(i).click({ force: true })
  // A group of close markers opens their list: every one of them is reachable from it.
  if ((await markers.nth(i).getAttribute('data-testid')) !== 'marker-group') return `marker#${i}`
  const items = web.page.locator('.marker-list .marker-item')
  const j = Math.floor(r() * (await items.count()))
  await items.nth(j).click()
  return `marker group#${i} item#${j}`
}
const eventRow: Step = async (r) => {
  await web.page.getByRole('tab', { name: /Events/ }).click()
  const rows = web.page.getByTestId('event-list').locator('button')
  const n = await rows.count()
  if (n === 0) return slider(r)
  // The list is virtualised: scrolling re-renders it, so the row is found again by its index in
  // the whole list, not by its place among the rows rendered when counted.
  const i = Math.floor(r() * n)
  const index = await rows.nth(i).evaluate((b) => b.closest('li')!.getAttribute('data-index'))
  const row = web.page.getByTestId('event-list').locator(`li[data-index="${index}"] button`)
  await row.scrollIntoViewIfNeeded()
  await row.click()
  return `event#${index}`
}
const STEPS = [slider, slider, key, marker, eventRow]

describe('the paused replay is exactly the recording at its moment', () => {
  it('covers every sample session and the generated ones', () => {
    expect(cases.length).toBeGreaterThanOrEqual(SAMPLE_FILES.length + GENERATED.length - 1)
  })

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])('session #%i: 30 seeded seeks, then seeded runs of overlapping seeks', async (i) => {
    const c = cases[i]
    if (!c) return
    const r = rng(1000 + i)
    const meta = replayMeta(web.core.store, c.sessionId)
    if (!meta.windows.length) return
    // Opens at a deep-linked moment: the rebuild path.
    const at = Math.floor(r() * (meta.session.end_ms - meta.session.start_ms))
    await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(c.sessionId)}?t=${at}`))
    await mount().locator('iframe').first().waitFor({ state: 'attached', timeout: 15_000 })
    await expectExact(c.sessionId, `${c.name} deep link ?t=${at}`)
    const log: string[] = []
    for (let s = 0; s < 30; s++) {
      log.push(await STEPS[Math.floor(r() * STEPS.length)]!(r))
      await expectExact(c.sessionId, `${c.name} after ${log.slice(-3).join(', ')}`)
    }
    // Overlapping: several seeks without waiting for the one before to finish.
    for (let run = 0; run < 6; run++) {
      const seq: string[] = []
      const n = 2 + Math.floor(r() * 6)
      for (let s = 0; s < n; s++) seq.push(await [slider, key, key, marker][Math.floor(r() * 4)]!(r))
      await expectExact(c.sessionId, `${c.name} after overlapping ${seq.join(', ')}`)
    }
  }, 480_000)

  it("the demo's five rapid clicks at 1:03 are one marker group; each of its markers seeks exactly", async () => {
    const demo = cases.find((c) => c.name === 'demo-shop.rrweb.json')!
    await web.page.goto(web.server.url.replace(/#.*/, `#/session/${encodeURIComponent(demo.sessionId)}?t=0`))
    await settled('demo')
    const group = web.page.getByTestId('marker-group').filter({ has: web.page.locator(':scope[aria-label$="at 1:03"]') }).first()
    const labels = await web.page.getByTestId('marker-group').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))
    expect(Number((await group.innerText().catch(() => '0')) || 0), `groups: ${labels.join('; ')}`).toBeGreaterThanOrEqual(5)
    await group.click()
    const items = web.page.locator('.marker-list .marker-item')
    const n = await items.count()
    expect(n).toBeGreaterThanOrEqual(5)
    for (let i = 0; i < n; i++) {
      if (i > 0) await group.click()
      const label = await items.nth(i).innerText()
      await items.nth(i).click()
      await expectExact(demo.sessionId, `demo group item ${label}`)
    }
  }, 120_000)
})
