// Drives the real renderer in Debian's Chromium through web mode, on a temporary database.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { openCore, type Core } from '../../electron/core'
import type { SecretSource } from '../../electron/secrets'
import { serve, type WebServer } from '../../electron/serve'
import { CHROMIUM_ARGS, chromiumPath } from '../../electron/clips/chromium'
import { closeFrameSource } from '../../electron/clips/warm'

// One list with the clip renderer's (bench/scatter.ts imports them from here).
export { CHROMIUM_ARGS, chromiumPath } from '../../electron/clips/chromium'

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
      // The clip browser a Verify started (its profile would outlive a test worker, which ends
      // without exit handlers).
      await closeFrameSource()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
