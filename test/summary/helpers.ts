// Samples imported once per file into temp databases, and the ground truth to check against.
import fs from 'node:fs'
import path from 'node:path'
import { importFiles } from '../../electron/import'
import { refreshFlags } from '../../electron/sessions'
import { openStore, type Store } from '../../electron/store'
import { sharedSamples, tempDir } from '../helpers'

export const samplesDir = path.join(sharedSamples, 'sessions')

export interface Problem {
  kind: string
  t_ms: number
  element_text: string | null
  evidence_in_file: string[]
}
export interface TruthSession {
  id: string | null
  start_ms: number
  end_ms: number
  problems: Problem[]
  pii: string[]
}
export const truth = JSON.parse(fs.readFileSync(path.join(samplesDir, 'truth.json'), 'utf8')) as {
  files: Record<string, { sessions: TruthSession[] }>
}
export const sampleNames = Object.keys(truth.files).sort()

/** S5's strings that must never reach a model (README "S5: must never reach a model or a log"). */
export const S5_SECRETS = [
  'Maria Keller',
  'maria.keller@example.org',
  'maria.keller%40example.org',
  '+49 30 23125 417',
  '4242 4242 4242 4242',
  '•••• 4242',
  'Lindenstrasse 12, 10969 Berlin',
  'DE91 1001 7997 6523 8841 02',
  'sk-live-7Qm2Xv9Lc4Tn8Rb1Wd6Hy3Kp5Zs0Fa',
]

export async function importSample(dir: string, name: string, dbName = `${name}.db`): Promise<{ store: Store; sessionId: string }> {
  const store = openStore(path.join(dir, dbName))
  const [r] = await importFiles(store, [path.join(samplesDir, name)])
  if (r!.error) throw new Error(r!.error)
  const sessionId = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 1, offset: 0 }).rows[0]!.id
  // As the import job does: the flags are detected once, at import.
  for (const id of r!.session_ids ?? []) refreshFlags(store, id)
  return { store, sessionId }
}

export { tempDir }
