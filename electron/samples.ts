// The demo data the app ships (resources/samples/), offered on first run.
import fs from 'node:fs'
import path from 'node:path'
import type { SampleInfo } from '../shared/model'
import { UserError } from './errors'
import { resourcesDir } from './paths'

interface ManifestEntry {
  name: string
  title: string
  kind: 'session' | 'traces'
}

export function listSamples(): SampleInfo[] {
  const dir = path.join(resourcesDir(), 'samples')
  const manifest = path.join(dir, 'index.json')
  if (!fs.existsSync(manifest)) return []
  const entries = JSON.parse(fs.readFileSync(manifest, 'utf8')) as ManifestEntry[]
  return entries
    .filter((e) => fs.existsSync(path.join(dir, e.name)))
    .map((e) => ({ name: e.name, title: e.title, kind: e.kind, bytes: fs.statSync(path.join(dir, e.name)).size }))
}

export function samplePath(name: string): string {
  const known = listSamples().find((s) => s.name === name)
  if (!known) throw new UserError(`No bundled sample named ${JSON.stringify(name)}.`, 'not_found')
  return path.join(resourcesDir(), 'samples', known.name)
}
