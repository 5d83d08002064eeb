// The Electron shell: a window, its security settings, and the router bound to IPC. Everything
// else is the same core the CLI and web mode use.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, net, protocol, safeStorage, session, shell } from 'electron'
import { CSP } from '../shared/csp'
import { linkToHash } from '../shared/links'
import type { EventName } from '../shared/api'
import { createRouter } from './api'
import { openCore } from './core'
import { setResourcesDir } from './paths'
import { envSecrets, type SecretName, type SecretSource } from './secrets'

const RENDERER = path.join(import.meta.dirname, '../renderer')
const ORIGIN = 'app://sightline'

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])

/** Keys live encrypted by the OS keychain (safeStorage) in the user data folder; env vars still win. */
function keychainSecrets(): SecretSource {
  const file = (name: SecretName) => path.join(app.getPath('userData'), `${name}.key`)
  return {
    get(name) {
      const fromEnv = envSecrets.get(name)
      if (fromEnv) return fromEnv
      try {
        return safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(fs.readFileSync(file(name))) : undefined
      } catch {
        return undefined
      }
    },
    set(name, value) {
      if (value === '') return fs.rmSync(file(name), { force: true })
      if (!safeStorage.isEncryptionAvailable()) throw new Error('The OS keychain is not available; set the key in the environment instead.')
      fs.writeFileSync(file(name), safeStorage.encryptString(value), { mode: 0o600 })
    },
  }
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Sightline',
    backgroundColor: '#16181d',
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  // Links out of the app open in the user's browser; the window itself never navigates away.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(ORIGIN)) e.preventDefault()
  })
  void win.loadURL(`${ORIGIN}/index.html`)
  return win
}

/** sightline:// links open in the running window (a second launch hands its link over and quits). */
function handleLinks(send: (event: EventName, data: unknown) => void): void {
  app.setAsDefaultProtocolClient('sightline')
  const open = (link: string | undefined) => {
    const hash = link && linkToHash(link)
    if (!hash) return
    send('navigate', { hash })
    BrowserWindow.getAllWindows()[0]?.focus()
  }
  app.on('second-instance', (_e, argv) => open(argv.find((a) => a.startsWith('sightline://'))))
  app.on('open-url', (e, url) => {
    e.preventDefault()
    open(url)
  })
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit()
  if (app.isPackaged) setResourcesDir(process.resourcesPath)
  await app.whenReady()
  const core = openCore({ transport: 'ipc', secrets: keychainSecrets() })
  const send = (event: EventName, data: unknown) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(`event:${event}`, data))
  const router = createRouter(core, { onChanged: (what) => send('changed', { what }) })
  core.jobs.onJob((job) => send('job', job))
  handleLinks(send)

  // Serve the built renderer from app:// with the CSP as a real header.
  protocol.handle('app', async (req) => {
    const rel = decodeURIComponent(new URL(req.url).pathname)
    const file = path.join(RENDERER, path.normalize(rel))
    if (!file.startsWith(RENDERER + path.sep)) return new Response('Forbidden', { status: 403 })
    const res = await net.fetch(pathToFileURL(file).href)
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', CSP)
    return new Response(res.body, { status: res.status, headers })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))

  ipcMain.handle('api', (e, channel: unknown, req: unknown) => {
    // Only our own page, loaded from app://, may call the core.
    if (!e.senderFrame || !e.senderFrame.url.startsWith(ORIGIN)) {
      return { ok: false, error: { code: 'invalid_request', message: 'Untrusted sender' } }
    }
    return router.handle(String(channel), req)
  })

  createWindow()
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow())
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit())
  app.on('before-quit', () => void core.close())
}

void start()
