// Which errors explain the journey and which are noise ("crying wolf": a model shown twenty
// third-party TypeErrors decides the user failed, though they never noticed). The rules are
// shared by the reducer (what the model sees) and the detectors (what gets flagged); which events
// are third-party or benign is shared/noise.ts's rule, which the Errors count and the player use too.
import { isBenignMessage, otherHost } from '../../shared/noise'
import type { Moment } from './timeline'

/** A user act: what an error or request "right after an action" is measured from. */
export const isAction = (m: Moment) => m.kind === 'click' || m.kind === 'submit'

/** How soon after an act an error counts as caused by it (handlers throw within milliseconds). */
export const CAUSED_BY_ACTION_MS = 1000
/** Errors this close to the previous one are one avalanche (one root, many follow-ons). */
export const AVALANCHE_GAP_MS = 1000

const API_ERROR = /\b(?:HTTP|status(?: code)?)\s*:?\s*[45]\d\d\b|\brequest failed\b|\bFailed to fetch\b|\bNetworkError\b|\bLoad failed\b|\btimed? ?out\b/i

/** A script from another host than the page (a widget, an ad, an analytics snippet). */
export const isThirdParty = (m: Moment): boolean => otherHost(m.script_url, m.url)

/** A request to another host than the page's. */
export const isThirdPartyRequest = (m: Moment): boolean => otherHost(m.http_url, m.url)

/** Browser chatter that never means the user was affected (shared/noise.ts). */
export const isBenign = (m: Moment): boolean => isBenignMessage(m.message)

/** An error that reports a failed call to the app's own backend. */
export function isApiError(m: Moment): boolean {
  return m.kind === 'exception' && !!m.message && API_ERROR.test(m.message) && !isThirdParty(m)
}

/** A request the page made for data (not a stylesheet or an image), to its own host. */
export function isApiCall(m: Moment): boolean {
  if (m.kind !== 'network') return false
  if (m.initiator && m.initiator !== 'fetch' && m.initiator !== 'xmlhttprequest' && m.initiator !== 'beacon') return false
  if (!m.initiator && !m.method) return false
  return !isThirdPartyRequest(m)
}

export const failed = (m: Moment) => m.kind === 'network' && (m.status === null ? m.initiator === 'fetch' && m.duration_ms === null : m.status >= 400 || m.status === 0)

/** The last user act in the same window at most `ms` before `m`, if any. */
export function actionBefore(moments: Moment[], index: number, ms: number): Moment | null {
  const m = moments[index]!
  for (let i = index - 1; i >= 0; i--) {
    const a = moments[i]!
    if (m.t - a.t > ms) break
    if (a.kind === 'nav' && a.window === m.window) return null // a page load in between: not caused by the act
    if (isAction(a) && (a.window === m.window || a.window === null || m.window === null)) {
      // A form submit follows the click that caused it by milliseconds: name the click.
      const click = a.kind === 'submit' ? moments.slice(Math.max(0, i - 3), i).findLast((c) => c.kind === 'click' && a.t - c.t <= 200) : undefined
      return click ?? a
    }
  }
  return null
}

export type ErrorClass = 'api' | 'journey' | 'noise'

/**
 * api: reports a failed backend call. journey: first-party, thrown right after a user act (the
 * act did not work). noise: everything else — third-party, benign, thrown by timers or on load.
 */
export function classifyError(moments: Moment[], index: number): ErrorClass {
  const m = moments[index]!
  if (isApiError(m)) return 'api'
  if (isBenign(m) || isThirdParty(m)) return 'noise'
  return actionBefore(moments, index, CAUSED_BY_ACTION_MS) ? 'journey' : 'noise'
}

/** Consecutive errors of one window with gaps under AVALANCHE_GAP_MS, as index groups. */
export function avalanches(moments: Moment[]): number[][] {
  const groups: number[][] = []
  const open = new Map<string | null, number[]>()
  moments.forEach((m, i) => {
    if (m.kind !== 'exception') return
    const g = open.get(m.window)
    if (g && m.t - moments[g.at(-1)!]!.t <= AVALANCHE_GAP_MS) g.push(i)
    else {
      const ng = [i]
      groups.push(ng)
      open.set(m.window, ng)
    }
  })
  return groups
}
