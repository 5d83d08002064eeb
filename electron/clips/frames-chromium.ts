// Headless Chromium as a frame source (CLI, web mode, tests, bench), driven over a CDP pipe
// (cdp.ts). One browser, kept warm; each page lives in a browser context of its own (two pages in
// one context share a renderer and do not overlap) and is reused by later clips of the same size.
// Every request a page makes is paused and answered in-process (bridge.ts): the frame page and its
// replay reads; the recorded page's own assets (images, fonts) are refused, so no socket leaves
// the browser. captureScreenshot right after a seek returns shows exactly that seek.
import crypto from 'node:crypto'
import { rendererDir } from '../paths'
import { answer, FRAME_ORIGIN as ORIGIN, framePage, type ReplayReader } from './bridge'
import { Chromium, type CdpEvent } from './cdp'
import { JPEG_QUALITY, type FramePage, type FrameSource, type LoadRequest, type LoadResult } from './frames'

/** A paused request, as Fetch.requestPaused gives it. */
interface Paused {
  requestId: string
  request: { url: string; method: string; headers: Record<string, string>; postData?: string; postDataEntries?: { bytes?: string }[] }
}

interface Evaluated {
  result?: { value?: unknown }
  exceptionDetails?: { exception?: { description?: string }; text?: string }
}

class ChromiumPage implements FramePage {
  reader: ReplayReader | null = null
  /** Its renderer crashed or stopped answering: closed when given back, never reused. */
  broken = false
  constructor(
    readonly size: string,
    private readonly browser: Chromium,
    private readonly contextId: string,
    readonly sessionId: string,
    readonly token: string,
    private readonly onRelease: (p: ChromiumPage) => void,
  ) {}

  /** Runs an expression of the page (its function is renderer/render/main.ts clipPage); a page
   * that does not answer within `ms` fails the clip, not hangs it. */
  async evaluate(expression: string, ms = 30_000): Promise<unknown> {
    const r = await this.call<Evaluated>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, ms, `answer ${expression.slice(0, 40)}`)
    if (r.exceptionDetails) throw new Error(`frame page: ${expression.slice(0, 60)} failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`)
    return r.result?.value
  }

  async load(req: LoadRequest): Promise<LoadResult> {
    return (await this.evaluate(`clipPage.load(${JSON.stringify(req)})`, 120_000)) as LoadResult
  }

  async seek(t: number): Promise<void> {
    await this.evaluate(`clipPage.seek(${Number(t)})`)
  }

  async capture(format: 'jpeg' | 'png'): Promise<Buffer> {
    const params = { format, ...(format === 'jpeg' ? { quality: JPEG_QUALITY } : {}), optimizeForSpeed: true }
    const r = await this.call<{ data: string }>('Page.captureScreenshot', params, 30_000, 'capture a frame')
    return Buffer.from(r.data, 'base64')
  }

  private call<T>(method: string, params: Record<string, unknown>, ms: number, what: string): Promise<T> {
    return withTimeout(this.browser.send<T>(method, params, this.sessionId), ms, () => {
      this.broken = true
      return new Error(`the frame page did not ${what} within ${ms / 1000} s`)
    })
  }

  release(): void {
    this.reader = null
    this.onRelease(this)
  }

  async close(): Promise<void> {
    await this.browser.send('Target.disposeBrowserContext', { browserContextId: this.contextId }).catch(() => {})
  }
}

export class ChromiumFrames implements FrameSource {
  private readonly idle: ChromiumPage[] = []
  private readonly pages = new Map<string, ChromiumPage>()
  private constructor(private readonly browser: Chromium) {
    browser.on((e) => void this.route(e))
  }

  static async launch(): Promise<ChromiumFrames> {
    return new ChromiumFrames(await Chromium.launch())
  }

  get connected(): boolean {
    return this.browser.connected
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
    const b = this.browser
    const { browserContextId } = await b.send<{ browserContextId: string }>('Target.createBrowserContext', { disposeOnDetach: true })
    const { targetId } = await b.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', browserContextId })
    const { sessionId } = await b.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
    const page = new ChromiumPage(key, b, browserContextId, sessionId, crypto.randomBytes(18).toString('base64url'), (p) => {
      if (p.broken) void this.drop(p)
      else if (b.connected) this.idle.push(p)
    })
    page.reader = { meta: () => { throw new Error('no clip is loading') }, chunks: () => [] }
    this.pages.set(sessionId, page)
    let off = () => {}
    try {
      const loaded = new Promise<void>((resolve) => {
        off = b.on((e) => e.sessionId === sessionId && e.method === 'Page.loadEventFired' && resolve())
      })
      await Promise.all([
        b.send('Page.enable', {}, sessionId),
        b.send('Inspector.enable', {}, sessionId),
        b.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }, sessionId),
        b.send('Emulation.setDeviceMetricsOverride', { ...size, deviceScaleFactor: 1, mobile: false }, sessionId),
      ])
      const nav = await b.send<{ errorText?: string }>('Page.navigate', { url: `${ORIGIN}/render/index.html#token=${page.token}` }, sessionId)
      if (nav.errorText) throw new Error(`the frame page did not load: ${nav.errorText}`)
      await withTimeout(loaded, 15_000, () => new Error('the frame page did not load within 15 s'))
      // The page's module has run by its load event.
      if ((await page.evaluate('window.clipPage?.ready === true')) !== true) throw new Error('the frame page loaded but did not start (see the built renderer/render)')
      return page
    } catch (e) {
      await this.drop(page)
      throw e
    } finally {
      off()
    }
  }

  private async drop(p: ChromiumPage): Promise<void> {
    this.pages.delete(p.sessionId)
    await p.close()
  }

  /** Answers a paused request of one of the pages. */
  private async route(e: CdpEvent): Promise<void> {
    if (e.method === 'Target.detachedFromTarget') this.pages.delete(e.params.sessionId as string)
    if (e.method === 'Inspector.targetCrashed' && e.sessionId) {
      const p = this.pages.get(e.sessionId)
      if (!p) return
      p.broken = true
      const i = this.idle.indexOf(p)
      if (i >= 0) void this.drop(this.idle.splice(i, 1)[0]!)
    }
    if (e.method !== 'Fetch.requestPaused' || !e.sessionId) return
    const { requestId, request: q } = e.params as unknown as Paused
    const page = this.pages.get(e.sessionId)
    const url = new URL(q.url)
    const send = (method: string, params: Record<string, unknown>) => this.browser.send(method, { requestId, ...params }, e.sessionId).catch(() => {}) // the page may be gone
    if (url.origin !== ORIGIN || !page?.reader) return void send('Fetch.failRequest', { errorReason: 'BlockedByClient' })
    const body = q.postDataEntries ? Buffer.concat(q.postDataEntries.map((x) => Buffer.from(x.bytes ?? '', 'base64'))).toString('utf8') : (q.postData ?? null)
    const auth = Object.entries(q.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1]
    let r
    try {
      r = answer(rendererDir(), page.reader, page.token, { method: q.method, pathname: url.pathname, auth, body })
    } catch (err) {
      r = { status: 500, contentType: 'text/plain', body: (err as Error).message }
    }
    const headers = [{ name: 'Content-Type', value: r.contentType }, ...Object.entries(r.headers ?? {}).map(([name, value]) => ({ name, value }))]
    void send('Fetch.fulfillRequest', { responseCode: r.status, responseHeaders: headers, body: Buffer.from(r.body).toString('base64') })
  }

  /** The browser's process and profile folder (tests). */
  get process(): { pid: number | undefined; dataDir: string } {
    return { pid: this.browser.pid, dataDir: this.browser.dataDir }
  }

  async close(): Promise<void> {
    this.idle.length = 0
    await this.browser.close()
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(late()), ms)))]).finally(() => clearTimeout(timer))
}
