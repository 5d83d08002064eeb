// Records one visit to the demo shop with the real rrweb recorder in headless Chromium.
// The journey is scripted with human-like pacing; every scripted moment is logged with its
// wall-clock time so the README and the tests have ground truth.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { chromium, type Locator, type Page } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]
export const VIEWPORT = { width: 1280, height: 800 }

export interface Moment {
  /** stable key the tests look up, e.g. "rage_click" */
  key: string
  /** epoch ms when the action started */
  at: number
  what: string
}

export interface Recording {
  events: Record<string, unknown>[]
  moments: Moment[]
}

/** rrweb + its console plugin as browser bundles, and the call that starts recording. */
function recorderScript(): string {
  const rrweb = fs.readFileSync(path.join(packageDir('rrweb'), 'dist/rrweb.umd.min.cjs'), 'utf8')
  const consolePlugin = fs.readFileSync(path.join(packageDir('@rrweb/rrweb-plugin-console-record'), 'dist/rrweb-plugin-console-record.umd.min.cjs'), 'utf8')
  // Only the top page of our own server is recorded (not about:blank, not frames).
  const start = `
    if (window.top === window && location.protocol === 'http:') {
      window.rrweb.record({
        emit: function (event) { window.__sightlineEmit(JSON.stringify(event)); },
        maskAllInputs: true,
        plugins: [window.rrwebPluginConsoleRecord.getRecordConsolePlugin()],
      });
    }`
  return `${rrweb}\n;${consolePlugin}\n;${start}`
}

/** A package's folder in node_modules (its `exports` hide the browser bundles and package.json). */
export function packageDir(name: string): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(name))
  const nameAt = (d: string) => {
    const file = path.join(d, 'package.json')
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name : undefined
  }
  while (nameAt(dir) !== name) {
    if (dir === path.dirname(dir)) throw new Error('package not found: ' + name)
    dir = path.dirname(dir)
  }
  return dir
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function recordDemo(shopUrl: string): Promise<Recording> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-samples-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  })
  const events: Record<string, unknown>[] = []
  const moments: Moment[] = []
  try {
    // Events arrive through a binding, in emit order, from every page load of the visit.
    await context.exposeBinding('__sightlineEmit', (_source, json: string) => {
      events.push(JSON.parse(json) as Record<string, unknown>)
    })
    await context.addInitScript({ content: recorderScript() })
    const page = context.pages()[0] ?? (await context.newPage())
    const mark = (key: string, what: string) => moments.push({ key, at: Date.now(), what })
    await journey(page, shopUrl, mark)
    await sleep(1500) // let rrweb flush the last mouse-move batch
  } finally {
    await context.close()
    fs.rmSync(userDataDir, { recursive: true, force: true })
  }
  return { events, moments }
}

// ---------------------------------------------------------------------------------------------
// Human-like input: the pointer travels, people pause to read, and type at ~8 characters a second.

let pointer = { x: 640, y: 400 }

async function moveTo(page: Page, target: Locator): Promise<{ x: number; y: number }> {
  await target.scrollIntoViewIfNeeded()
  const box = await target.boundingBox()
  if (!box) throw new Error('element not visible: ' + String(target))
  const to = { x: box.x + box.width * 0.5, y: box.y + box.height * 0.55 }
  await page.mouse.move(to.x, to.y, { steps: 14 })
  pointer = to
  await sleep(180)
  return to
}

async function click(page: Page, target: Locator): Promise<void> {
  const at = await moveTo(page, target)
  await page.mouse.click(at.x, at.y, { delay: 70 })
}

async function type(page: Page, target: Locator, text: string): Promise<void> {
  await click(page, target)
  await sleep(250)
  await target.pressSequentially(text, { delay: 110 })
}

async function wander(page: Page, dx: number, dy: number): Promise<void> {
  pointer = { x: pointer.x + dx, y: pointer.y + dy }
  await page.mouse.move(pointer.x, pointer.y, { steps: 10 })
}

async function ask(page: Page, question: string): Promise<void> {
  if ((await page.locator('#chat.open').count()) === 0) {
    await click(page, page.locator('#chat-toggle'))
    await sleep(600)
  }
  await type(page, page.locator('#chat-input'), question)
  await sleep(300)
  await page.keyboard.press('Enter')
  // Wait for the answer bubble (no more "Thinking…"), then read it.
  await page.locator('#chat-log .msg.pending').waitFor({ state: 'detached', timeout: 15_000 })
  await sleep(2500)
}

// ---------------------------------------------------------------------------------------------
// The visit. Comments give the story; `mark` records the moments the README lists.

async function journey(page: Page, shopUrl: string, mark: (key: string, what: string) => void): Promise<void> {
  mark('open_shop', 'opens the shop home page')
  await page.goto(shopUrl, { waitUntil: 'load' })
  await sleep(2500)

  // Browse: look at the products, scroll down and back up.
  await wander(page, -200, -60)
  await sleep(800)
  await page.mouse.wheel(0, 420)
  await sleep(1800)
  await wander(page, 260, 80)
  await sleep(900)
  await page.mouse.wheel(0, -420)
  await sleep(1200)

  // Search for desk lamps and add one to the basket.
  mark('search', 'searches for "desk"')
  await type(page, page.locator('#search'), 'desk')
  await sleep(2200)
  mark('add_to_basket', 'adds the Aurora desk lamp to the basket')
  await click(page, page.locator('#card-aurora-desk button.add'))
  await sleep(1800)

  // The broken "Reviews" button: throws a TypeError.
  mark('js_error', 'clicks "Reviews" on the Beam desk lamp Pro; the click handler throws a TypeError')
  await click(page, page.locator('#card-beam-desk-pro button.reviews'))
  await sleep(2000)

  // Clear the search, pick a reading lamp too.
  await click(page, page.locator('#search'))
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Backspace')
  await sleep(1200)
  mark('ask_ai_reading', 'asks the AI assistant which lamp is best for reading in bed')
  await ask(page, 'Which lamp is best for reading in bed?')
  mark('add_to_basket_2', 'adds the Nook reading light to the basket')
  await click(page, page.locator('#card-nook-reading button.add'))
  await sleep(1500)

  // Second page, reached by a link: full page load, new Meta + FullSnapshot.
  mark('go_checkout', 'follows the "Basket & checkout" link to the second page')
  await click(page, page.locator('#nav-checkout'))
  await page.waitForLoadState('load')
  await sleep(2000)

  mark('fill_form', 'fills in the checkout form (inputs are masked by rrweb)')
  await type(page, page.locator('#name'), 'Jonas Weber')
  await sleep(500)
  await type(page, page.locator('#email'), 'jonas.weber@example.com')
  await sleep(500)
  await type(page, page.locator('#address'), 'Oranienstrasse 25')
  await sleep(400)
  await type(page, page.locator('#city'), '10999 Berlin')
  await sleep(500)
  await type(page, page.locator('#card'), '4242 4242 4242 4242')
  await sleep(1500)

  mark('ask_ai_shipping', 'asks the AI assistant how long shipping to Berlin takes')
  await ask(page, 'How long does shipping to Berlin take?')

  // Checkout fails: POST /api/checkout -> HTTP 500, error banner + console.error.
  mark('checkout_500', 'clicks "Place order"; POST /api/checkout answers HTTP 500')
  await click(page, page.locator('#place-order'))
  await page.locator('#checkout-alert.error').waitFor({ timeout: 5000 })
  await sleep(2200)

  // Rage click: five fast clicks on the button that keeps failing.
  mark('rage_click', 'rage-clicks "Place order" 5 times within about a second; each click fails with HTTP 500 again')
  const at = await moveTo(page, page.locator('#place-order'))
  for (let i = 0; i < 5; i++) {
    await page.mouse.click(at.x + (i % 2 ? 2 : -1), at.y + (i % 3) - 1, { delay: 40 })
    await sleep(110)
  }
  await sleep(2500)

  mark('ask_ai_charged', 'asks the AI assistant whether the failed order was charged')
  await ask(page, 'My order failed with an error. Was I charged?')

  // Gives up and goes back to the shop.
  mark('back_to_shop', 'goes back to the shop page by the "Shop" link and leaves')
  await click(page, page.locator('#nav-shop'))
  await page.waitForLoadState('load')
  await sleep(2000)
  await wander(page, -120, 140)
  await sleep(1500)
  mark('end', 'end of the visit')
}
