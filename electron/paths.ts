// Where things live on disk. One place, so the app, web mode and the CLI agree.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import envPaths from 'env-paths'

/** The OS's per-user data folder for "Sightline" (e.g. ~/.local/share/Sightline on Linux). */
export function dataDir(): string {
  return envPaths('Sightline', { suffix: '' }).data
}

/** --db, else $SIGHTLINE_DB, else the default file the desktop app uses too. */
export function resolveDbPath(flag?: string): string {
  const chosen = flag || process.env.SIGHTLINE_DB
  return chosen ? path.resolve(chosen) : path.join(dataDir(), 'sightline.db')
}

let root: string | undefined

/** The project (or unpacked app) folder: the nearest one up from here with Sightline's package.json. */
export function appRoot(): string {
  if (root) return root
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'sightline') return (root = dir)
    const up = path.dirname(dir)
    if (up === dir) throw new Error('Cannot find the Sightline install folder (no package.json named sightline above ' + import.meta.url + ')')
    dir = up
  }
}

/** Overridden by the packaged app, whose resources sit outside the asar. */
let resources: string | undefined
export function setResourcesDir(dir: string): void {
  resources = dir
}
export function resourcesDir(): string {
  return resources ?? path.join(appRoot(), 'resources')
}

/** The built renderer (electron-vite's output). */
export function rendererDir(): string {
  return path.join(appRoot(), 'out', 'renderer')
}

export function appVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version
}
