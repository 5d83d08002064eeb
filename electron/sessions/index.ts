// Sessions stage: a stored session turned into what detectors and models need. Public surface:
// the timeline, the reduced CSV form and the offline heuristic flags.
import type { FlagRow } from '../../shared/summary'
import { NotFoundError } from '../errors'
import { defaultRedactor, type Redactor } from '../llm/redact'
import type { Store } from '../store'
import type { NewFlag } from '../store/flags'
import { detect } from './detect'
import { loadReactions } from './reactions'
import { reduce, type ReducedSession } from './reduce'
import { loadTimeline, type Timeline } from './timeline'
import { DETECTOR_VERSION } from './version'

export { detect, type FlagType } from './detect'
export { evidenceFor, reduce, renderReduced, type ReducedRow, type ReducedSession } from './reduce'
export { loadTimeline, type Moment, type Timeline } from './timeline'
export { DETECTOR_VERSION, flagsCurrent } from './version'

export function timelineOrThrow(store: Store, sessionId: string): Timeline {
  const tl = loadTimeline(store, sessionId)
  if (!tl) throw new NotFoundError('session', sessionId)
  return tl
}

/** The heuristic flags of a session, computed now (titles redacted: they are shown and exported). */
export function detectFlags(store: Store, sessionId: string, redactor: Redactor = defaultRedactor): NewFlag[] {
  const timeline = timelineOrThrow(store, sessionId)
  return detect({ timeline, reactions: loadReactions(store, sessionId) }).map((f) => ({
    ...f,
    title: redactor.text(f.title),
    detail: redactor.text(f.detail),
  }))
}

/**
 * Detects and stores the heuristic flags (statuses of flags found again are kept) and records the
 * detectors' version. Runs at import and on an explicit "detect again": reads never detect.
 */
export function refreshFlags(store: Store, sessionId: string): FlagRow[] {
  const flags = detectFlags(store, sessionId)
  return store.transaction(() => {
    const rows = store.flags.replaceHeuristic(sessionId, flags)
    store.sessions.setDetectorVersion(sessionId, DETECTOR_VERSION)
    return rows
  })
}

export function reduceSession(store: Store, sessionId: string): ReducedSession {
  return reduce(timelineOrThrow(store, sessionId))
}
