#!/usr/bin/env node
// `sightline`: runs the bundle that `npm install` builds (out/main/cli.js, no TypeScript loader, so
// the command starts fast). In a checkout whose sources are newer than that bundle (development),
// or with SIGHTLINE_FROM_SOURCE=1, it runs the TypeScript source through tsx instead (=0: always the bundle).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bundle = path.join(root, 'out', 'main', 'cli.js')

/** Whether any source file under these folders changed after `since` (ms). */
function newer(dirs, since) {
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name)
      if (entry.isDirectory() ? newer([p], since) : fs.statSync(p).mtimeMs > since) return true
    }
  }
  return false
}

function bundleIsCurrent() {
  if (process.env.SIGHTLINE_FROM_SOURCE === '1') return false
  const checkout = fs.existsSync(path.join(root, '.git')) && process.env.SIGHTLINE_FROM_SOURCE !== '0'
  let built
  try {
    built = fs.statSync(bundle).mtimeMs
  } catch {
    return false
  }
  // An installed copy ships its bundle; only a git checkout is edited under it.
  return !checkout || !newer([path.join(root, 'electron'), path.join(root, 'shared')], built)
}

let main
if (bundleIsCurrent()) {
  ;({ main } = await import(pathToFileURL(bundle).href))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../electron/cli.ts'))
}
process.exit(await main(process.argv.slice(2)))
