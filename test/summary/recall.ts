// Flag recall against the ground truth: every developer sample (truth.json) and the bundled demo
// (resources/samples/index.json). A problem is found when a flag of an accepted type that is not
// noise sits within ±3 s of it, by its own time or by the time of one of its evidence events (one
// flag may gather several problems' evidence: a rage click and the errors it caused). Used by
// test/summary/recall.test.ts and printed by `npx tsx bench/flag-recall.ts`.
import fs from 'node:fs'
import path from 'node:path'
import { importFiles } from '../../electron/import'
import { detectFlags } from '../../electron/sessions'
import { openStore } from '../../electron/store'
import type { NewFlag } from '../../electron/store/flags'
import { repoRoot } from '../helpers'
import { samplesDir, truth } from './helpers'

/**
 * Which flag types can stand for each kind of truth problem. A rage click that caused a failure
 * is part of that failure's flag (one problem, one flag): there, the flag must carry the burst
 * (at least 3 clicks within the tolerance) as evidence.
 */
export const ACCEPT: Record<string, string[]> = {
  dead_click: ['dead_click', 'rage_click', 'error_after_action'],
  rage_click: ['rage_click', 'error_after_action', 'http_error_after_action'],
  js_error: ['error_after_action', 'rage_click'],
  network_error: ['http_error_after_action', 'rage_click', 'request_unanswered'],
  abandoned_flow: ['form_abandoned'],
}
export const TOLERANCE_MS = 3000

export interface FileRecall {
  file: string
  problems: number
  /** Problems this format shows any evidence of (a CSV of product events has no 500s, e.g.). */
  visible: number
  found: number
  foundVisible: number
  /** Flags that are not noise: what a support agent has to read. */
  flags: number
  missed: string[]
}

export interface Problem {
  kind: string
  at: number
  visible: boolean
  atEnd: boolean
}

const demoDir = path.join(repoRoot, 'resources', 'samples')

/** The demo's two real problems (its README): the Reviews TypeError, and the checkout 500 the user then rage-clicked. */
function demoProblems(): { file: string; session_id: string; problems: Problem[] } {
  const entry = (JSON.parse(fs.readFileSync(path.join(demoDir, 'index.json'), 'utf8')) as { name: string; session_id?: string; start_ms?: number; evidence?: { js_error_ms: number; checkout_500_ms: number } }[]).find(
    (e) => e.name === 'demo-shop.rrweb.json',
  )!
  const s = entry.start_ms!
  return {
    file: path.join(demoDir, entry.name),
    session_id: entry.session_id!,
    problems: [
      { kind: 'js_error', at: s + entry.evidence!.js_error_ms, visible: true, atEnd: false },
      { kind: 'network_error', at: s + entry.evidence!.checkout_500_ms, visible: true, atEnd: false },
    ],
  }
}

const CLICKS = new Set(['click', '$autocapture'])

export function matches(p: Problem, f: NewFlag, events: Map<number, { time_ms: number; type: string }>, endMs: number): boolean {
  if (f.label === 'noise' || !ACCEPT[p.kind]!.includes(f.type)) return false
  if (p.atEnd && Math.abs(f.time_ms - endMs) <= 1000) return true
  const near = (t: number) => Math.abs(t - p.at) <= TOLERANCE_MS
  if (p.kind === 'rage_click' && f.type !== 'rage_click') {
    return f.evidence.filter((id) => CLICKS.has(events.get(id)?.type ?? '') && near(events.get(id)!.time_ms)).length >= 3
  }
  return [f.time_ms, ...f.evidence.map((id) => events.get(id)?.time_ms ?? Number.NaN)].some(near)
}

async function measureOne(dir: string, file: string, problems: Problem[], sessionId?: string): Promise<FileRecall> {
  const store = openStore(path.join(dir, `${path.basename(file)}.db`))
  try {
    const [r] = await importFiles(store, [sessionId ? { file, session_id: sessionId } : file])
    if (r!.error) throw new Error(r!.error)
    const sid = store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 1, offset: 0 }).rows[0]!.id
    const flags = detectFlags(store, sid)
    const events = new Map(store.events.bySession(sid).map((e) => [e.id, { time_ms: e.time_ms, type: e.type }]))
    const end = store.sessions.get(sid)!.end_ms
    const found = problems.filter((p) => flags.some((f) => matches(p, f, events, end)))
    return {
      file: path.basename(file),
      problems: problems.length,
      visible: problems.filter((p) => p.visible).length,
      found: found.length,
      foundVisible: found.filter((p) => p.visible).length,
      flags: flags.filter((f) => f.label !== 'noise').length,
      missed: problems.filter((p) => !found.includes(p)).map((p) => `${p.kind}@${Math.round(p.at)}${p.visible ? '' : ' (no evidence in file)'}`),
    }
  } finally {
    store.close()
  }
}

/** A developer sample's problems, as epoch-ms moments. */
export function problemsOf(name: string): Problem[] {
  const ts = truth.files[name]!.sessions[0]!
  return ts.problems.map((p) => ({
    kind: p.kind,
    at: ts.start_ms + p.t_ms,
    visible: p.evidence_in_file.length > 0,
    atEnd: p.evidence_in_file.some((e) => e.includes('session ends')),
  }))
}

export async function measureRecall(dir: string): Promise<FileRecall[]> {
  const out: FileRecall[] = []
  for (const name of Object.keys(truth.files).sort()) out.push(await measureOne(dir, path.join(samplesDir, name), problemsOf(name)))
  const demo = demoProblems()
  out.push(await measureOne(dir, demo.file, demo.problems, demo.session_id))
  return out
}

export function totals(rows: FileRecall[]) {
  const sum = (k: 'problems' | 'visible' | 'found' | 'foundVisible' | 'flags') => rows.reduce((a, r) => a + r[k], 0)
  const withProblems = rows.filter((r) => r.problems > 0)
  const flagsOnProblemFiles = withProblems.reduce((a, r) => a + r.flags, 0)
  const problemsOnProblemFiles = withProblems.reduce((a, r) => a + r.problems, 0)
  return {
    problems: sum('problems'),
    found: sum('found'),
    visible: sum('visible'),
    foundVisible: sum('foundVisible'),
    recall: sum('found') / sum('problems'),
    recallVisible: sum('foundVisible') / sum('visible'),
    /** Non-noise flags per real problem, on the files that have problems. */
    flagsPerProblem: flagsOnProblemFiles / problemsOnProblemFiles,
    /** Non-noise flags on files without any problem (should be few, and none blocking). */
    flagsOnCleanFiles: rows.filter((r) => r.problems === 0).reduce((a, r) => a + r.flags, 0),
  }
}
