// Drives the real renderer in Debian's Chromium through web mode, on a temporary database.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { openCore, type Core } from '../../electron/core'
import type { SecretSource } from '../../electron/secrets'
import { serve, type WebServer } from '../../electron/serve'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[]
  const found = candidates.find((p) => fs.existsSync(p))
  if (!found) throw new Error('No Chromium found: install Debian’s chromium or set CHROMIUM_PATH')
  return found
}

export interface Web {
  core: Core
  server: WebServer
  browser: Browser
  page: Page
  dir: string
  close(): Promise<void>
}

export async function startWeb(opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number }; secrets?: SecretSource } = {}): Promise<Web> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-e2e-'))
  const core = openCore({ db: path.join(dir, 'test.db'), transport: 'http', secrets: opts.secrets ?? { get: () => undefined } })
  const server = await serve(core)
  // A fresh profile per run: nothing carries over between tests.
  const context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    core,
    server,
    browser: context.browser()!,
    page,
    dir,
    async close() {
      await context.close()
      await server.close()
      await core.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
