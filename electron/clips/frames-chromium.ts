// Headless Chromium (playwright-core) as a frame source. One browser, kept warm; each page lives in
// its own browser context (two pages in one context share a renderer and do not overlap) and is
// reused by later clips of the same size. Seek and capture go over a raw CDP session: the measured
// fastest path, and captureScreenshot right after the seek returns shows exactly that seek.
import crypto from 'node:crypto'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { rendererDir } from '../paths'
import { answer, FRAME_ORIGIN as ORIGIN, framePage, type ReplayReader } from './bridge'
import { CLIP_CHROMIUM_ARGS, chromiumPath } from './chromium'
import { JPEG_QUALITY, type FramePage, type FrameSource, type LoadRequest, type LoadResult } from './frames'

class ChromiumPage implements FramePage {
  reader: ReplayReader | null = null
  constructor(
    readonly size: string,
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly onRelease: (p: ChromiumPage) => void,
  ) {}

  async load(req: LoadRequest): Promise<LoadResult> {
    // A string: this side has no DOM types; the page's function is renderer/render/main.ts load().
    return (await this.page.evaluate(`clipPage.load(${JSON.stringify(req)})`)) as LoadResult
  }

  async seek(t: number): Promise<void> {
    const r = (await this.cdp.send('Runtime.evaluate', { expression: `clipPage.seek(${Number(t)})`, returnByValue: true })) as { exceptionDetails?: { exception?: { description?: string }; text?: string } }
    if (r.exceptionDetails) throw new Error(`frame page: seek to ${t} failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`)
  }

  async capture(format: 'jpeg' | 'png'): Promise<Buffer> {
    const r = await this.cdp.send('Page.captureScreenshot', format === 'jpeg' ? { format, quality: JPEG_QUALITY, optimizeForSpeed: true } : { format, optimizeForSpeed: true })
    return Buffer.from(r.data, 'base64')
  }

  release(): void {
    this.reader = null
    this.onRelease(this)
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {})
  }
}

export class ChromiumFrames implements FrameSource {
  private readonly idle: ChromiumPage[] = []
  private readonly all = new Set<ChromiumPage>()
  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<ChromiumFrames> {
    const { chromium } = await import('playwright-core')
    return new ChromiumFrames(await chromium.launch({ executablePath: chromiumPath(), args: CLIP_CHROMIUM_ARGS, headless: true }))
  }

  get connected(): boolean {
    return this.browser.isConnected()
  }

  async page(size: { width: number; height: number }, reader: ReplayReader): Promise<FramePage> {
    const key = `${size.width}x${size.height}`
    const i = this.idle.findIndex((p) => p.size === key)
    const warm = i >= 0 ? this.idle.splice(i, 1)[0]! : null
    const p = warm ?? (await this.open(key, size))
    p.reader = reader
    return p
  }

  private async open(key: string, size: { width: number; height: number }): Promise<ChromiumPage> {
    const root = rendererDir()
    framePage(root)
    const token = crypto.randomBytes(18).toString('base64url')
    const context = await this.browser.newContext({ viewport: size, deviceScaleFactor: 1 })
    let self: ChromiumPage | null = null
    await context.route('**/*', async (route) => {
      const req = route.request()
      const url = new URL(req.url())
      // The recorded page's own assets (images, fonts) never load: no socket leaves the browser.
      if (url.origin !== ORIGIN || !self?.reader) return route.abort('blockedbyclient')
      const r = answer(root, self.reader, token, { method: req.method(), pathname: url.pathname, auth: await req.headerValue('authorization') ?? undefined, body: req.postData() })
      return route.fulfill({ status: r.status, contentType: r.contentType, body: r.body, headers: r.headers })
    })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    self = new ChromiumPage(key, context, page, cdp, (p) => {
      if (this.browser.isConnected()) this.idle.push(p)
    })
    self.reader = { meta: () => { throw new Error('no clip is loading') }, chunks: () => [] }
    this.all.add(self)
    await page.goto(`${ORIGIN}/render/index.html#token=${token}`)
    // The page's module has run by its load event; waiting with waitForFunction would first set up
    // playwright's injected script in the page (~150 ms of a cold clip).
    const ready = 'window.clipPage?.ready === true'
    if ((await page.evaluate(ready)) !== true) await page.waitForFunction(ready, undefined, { timeout: 15_000 })
    return self
  }

  async close(): Promise<void> {
    this.idle.length = 0
    await this.browser.close().catch(() => {})
  }
}
