// The demo data the app ships (resources/samples/), offered on first run.
import fs from 'node:fs'
import path from 'node:path'
import type { SampleInfo } from '../shared/model'
import { UserError } from './errors'
import type { ImportInput } from './import'
import { resourcesDir } from './paths'

interface ManifestEntry {
  name: string
  title: string
  kind: 'session' | 'traces'
  /** The session a recording belongs to when its file cannot say (a plain rrweb array); the demo traces use it. */
  session_id?: string
}

function manifest(): ManifestEntry[] {
  const file = path.join(resourcesDir(), 'samples', 'index.json')
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ManifestEntry[]) : []
}

export function listSamples(): SampleInfo[] {
  const dir = path.join(resourcesDir(), 'samples')
  return manifest()
    .filter((e) => fs.existsSync(path.join(dir, e.name)))
    .map((e) => ({ name: e.name, title: e.title, kind: e.kind, bytes: fs.statSync(path.join(dir, e.name)).size }))
}

export function samplePath(name: string): string {
  const known = listSamples().find((s) => s.name === name)
  if (!known) throw new UserError(`No bundled sample named ${JSON.stringify(name)}.`, 'not_found')
  return path.join(resourcesDir(), 'samples', known.name)
}

/** A bundled sample as an import input: a recording comes with the manifest's session id. */
export function sampleInput(name: string): ImportInput {
  const file = samplePath(name)
  const entry = manifest().find((e) => e.name === name)
  return entry?.kind === 'session' && entry.session_id ? { file, session_id: entry.session_id } : { file }
}
