// Timeline markers from a session's events: what a support agent scans for.
import type { SessionEvent } from '../../shared/model'
import type { FlagRow } from '../../shared/summary'
import type { AiCall } from '../../shared/trace-model'

export type MarkerKind = 'click' | 'navigation' | 'error' | 'noise' | 'rage' | 'dead' | 'ai' | 'flag'

export interface Marker {
  time: number
  kind: MarkerKind
  label: string
  /** A flag's verdict: its marker is coloured by it. */
  status?: FlagRow['status']
}

export const MARKER_LABEL: Record<MarkerKind, string> = {
  click: 'Click',
  navigation: 'Navigation',
  error: 'Error',
  noise: 'Noise (third-party or benign)',
  rage: 'Rage click',
  dead: 'Dead click',
  ai: 'AI call',
  flag: 'Flag',
}

export function describe(e: SessionEvent): string {
  switch (e.type) {
    case 'click':
    case '$autocapture':
      return e.el_text ? `Clicked “${e.el_text.slice(0, 60)}”` : `Clicked ${e.el_selector ?? 'an element'}`
    case 'navigation':
    case '$pageview':
      return `Visited ${(e.url ?? '').replace(/^[a-z]+:\/\/[^/]+/i, '') || e.url || ''}`
    case 'console_error':
    case '$exception':
      return `${e.exc_type ?? 'Error'}: ${(e.exc_message ?? '').slice(0, 120)}`
    case 'network':
      return `${e.http_method ?? 'GET'} ${e.http_url ?? ''} → ${e.http_status ?? 'failed'}`
    case '$rageclick':
      return `Rage click on ${e.el_text ? `“${e.el_text}”` : (e.el_selector ?? 'an element')}`
    case '$dead_click':
      return `Dead click on ${e.el_text ? `“${e.el_text}”` : (e.el_selector ?? 'an element')}`
    case 'input':
      return `Typed in ${e.el_text ?? e.el_selector ?? 'a field'}`
    default:
      return e.type
  }
}

/** An error or a failed request: what the timeline marks in red, or muted when it is noise. */
export const isProblem = (e: SessionEvent): boolean =>
  e.type === 'console_error' || e.type === '$exception' || (e.type === 'network' && e.http_status !== null && e.http_status >= 400)

function kindOf(e: SessionEvent): MarkerKind | null {
  // Errors of other hosts' scripts and failed requests to other hosts: grey, never red.
  if (e.noise && isProblem(e)) return 'noise'
  switch (e.type) {
    case 'click':
      return 'click'
    case '$autocapture':
      return null // the derived click marks the same moment
    case 'navigation':
      return 'navigation'
    case 'console_error':
    case '$exception':
      return 'error'
    case 'network':
      return e.http_status !== null && e.http_status >= 400 ? 'error' : null
    case '$rageclick':
      return 'rage'
    case '$dead_click':
      return 'dead'
    case '$ai_generation':
    case '$ai_span':
      return 'ai'
    default:
      return null
  }
}

/** Beyond this many clicks the click dots would hide everything else: show only the rest. */
const MAX_CLICK_MARKERS = 300

/** Markers of one window (events without a window show on every window). */
export function toMarkers(events: SessionEvent[], windowId: string | null): Marker[] {
  const out: Marker[] = []
  for (const e of events) {
    if (windowId && e.window_id && e.window_id !== windowId) continue
    const kind = kindOf(e)
    if (kind) out.push({ time: e.time_ms, kind, label: describe(e) })
  }
  const clicks = out.filter((m) => m.kind === 'click').length
  return clicks > MAX_CLICK_MARKERS ? out.filter((m) => m.kind !== 'click') : out
}

/** Which product event says the same as a derived one (PostHog captured it, the recording too). */
const TWIN: Record<string, string> = { click: '$autocapture', navigation: '$pageview' }

/**
 * The session's events without derived twins of product events: a click that PostHog captured
 * as $autocapture within a second, on the same text, is listed once.
 */
export function withoutTwins(events: SessionEvent[]): SessionEvent[] {
  const product = new Map<string, number[]>()
  const key = (type: string, e: SessionEvent) => `${type}|${e.window_id ?? ''}|${type === '$pageview' ? e.url : e.el_text}`
  for (const e of events) if (e.origin === 'product') product.set(key(e.type, e), [...(product.get(key(e.type, e)) ?? []), e.time_ms])
  return events.filter((e) => {
    const twin = e.origin === 'rrweb' ? TWIN[e.type] : undefined
    if (!twin) return true
    return !(product.get(key(twin, e)) ?? []).some((t) => Math.abs(t - e.time_ms) <= 1000)
  })
}

export const flagMarker = (f: FlagRow): Marker => ({ time: f.time_ms, kind: 'flag', label: `${f.blocking ? 'Blocking: ' : ''}${f.title} (${f.status})`, status: f.status })

export const aiMarker = (c: AiCall): Marker => ({
  time: c.start_ms!,
  kind: c.error ? 'error' : 'ai',
  label: `${c.model ?? c.name ?? 'model call'}${c.error ? ` failed: ${c.error_message ?? ''}` : ''}`,
})

/** Markers drawn closer than this (px) are one group on the timeline. */
export const MARKER_GROUP_PX = 6

export interface MarkerGroup {
  /** Where the group is drawn: its first marker's time. */
  time: number
  markers: Marker[]
}

/**
 * Markers grouped so none hides another: along the timeline (`widthPx` wide for [start, end]),
 * a marker within `minPx` of the previous one joins its group. Every marker is in exactly one
 * group, in time order; a group of one is drawn as the marker itself.
 */
export function groupMarkers(markers: Marker[], start: number, end: number, widthPx: number, minPx = MARKER_GROUP_PX): MarkerGroup[] {
  const x = (t: number) => ((t - start) / Math.max(1, end - start)) * widthPx
  const groups: MarkerGroup[] = []
  let lastX = -Infinity
  for (const m of [...markers].sort((a, b) => a.time - b.time)) {
    const mx = x(m.time)
    const g = groups.at(-1)
    if (g && mx - lastX < minPx) g.markers.push(m)
    else groups.push({ time: m.time, markers: [m] })
    lastX = mx
  }
  return groups
}
