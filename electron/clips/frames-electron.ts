// The app's frame source: offscreen BrowserWindows on a session of their own, whose http requests
// are all answered in-process (the frame page and its replay reads, as frames-chromium.ts does
// through CDP's Fetch domain); the recorded page's own assets never load. Only this file of the
// clip code imports Electron; the page, the bridge, the encoder and the renderer are shared.
import crypto from 'node:crypto'
import { BrowserWindow, session } from 'electron'
import { rendererDir } from '../paths'
import { answer, FRAME_ORIGIN as ORIGIN, framePage, type ReplayReader } from './bridge'
import { JPEG_QUALITY, type FramePage, type FrameSource, type LoadRequest, type LoadResult } from './frames'

class ElectronPage implements FramePage {
  reader: ReplayReader | null = null
  constructor(
    readonly size: string,
    private readonly win: BrowserWindow,
    private readonly onRelease: (p: ElectronPage) => void,
  ) {}

  async load(req: LoadRequest): Promise<LoadResult> {
    return (await this.win.webContents.executeJavaScript(`clipPage.load(${JSON.stringify(req)})`)) as LoadResult
  }

  async seek(t: number): Promise<void> {
    await this.win.webContents.executeJavaScript(`clipPage.seek(${Number(t)})`)
  }

  async capture(format: 'jpeg' | 'png'): Promise<Buffer> {
    const image = await this.win.webContents.capturePage()
    return format === 'jpeg' ? image.toJPEG(JPEG_QUALITY) : image.toPNG()
  }

  release(): void {
    this.reader = null
    this.onRelease(this)
  }

  async close(): Promise<void> {
    if (!this.win.isDestroyed()) this.win.destroy()
  }
}

export class ElectronFrames implements FrameSource {
  private readonly idle: ElectronPage[] = []
  private readonly pages = new Set<ElectronPage>()
  private readonly token = crypto.randomBytes(18).toString('base64url')
  private readonly session = session.fromPartition('sightline-frames')
  /** Where the pages' replay reads go: one core per process, so one reader for every page. */
  private reader: ReplayReader | null = null

  constructor() {
    const root = rendererDir()
    this.session.protocol.handle('http', async (req) => {
      const url = new URL(req.url)
      if (url.origin !== ORIGIN || !this.reader) return Response.error()
      const r = answer(root, this.reader, this.token, { method: req.method, pathname: url.pathname, auth: req.headers.get('authorization') ?? undefined, body: req.method === 'POST' ? await req.text() : null })
      return new Response(typeof r.body === 'string' ? r.body : new Uint8Array(r.body), { status: r.status, headers: { 'Content-Type': r.contentType, ...r.headers } })
    })
    this.session.protocol.handle('https', () => Response.error())
  }

  async page(size: { width: number; height: number }, reader: ReplayReader): Promise<FramePage> {
    const key = `${size.width}x${size.height}`
    const i = this.idle.findIndex((p) => p.size === key)
    const p = i >= 0 ? this.idle.splice(i, 1)[0]! : await this.open(key, size)
    p.reader = reader
    this.reader = reader
    return p
  }

  private async open(key: string, size: { width: number; height: number }): Promise<ElectronPage> {
    framePage(rendererDir())
    const win = new BrowserWindow({
      show: false,
      width: size.width,
      height: size.height,
      useContentSize: true,
      webPreferences: { offscreen: true, session: this.session, sandbox: true, contextIsolation: true, backgroundThrottling: false },
    })
    // Paint as fast as seeks come: the 60 Hz default would pace captures (as in Chromium).
    win.webContents.setFrameRate(240)
    const page = new ElectronPage(key, win, (p) => this.idle.push(p))
    this.pages.add(page)
    await win.loadURL(`${ORIGIN}/render/index.html#token=${this.token}`)
    return page
  }

  async close(): Promise<void> {
    for (const p of this.pages) await p.close()
    this.pages.clear()
    this.idle.length = 0
    this.session.protocol.unhandle('http')
    this.session.protocol.unhandle('https')
  }
}
