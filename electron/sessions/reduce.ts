// Event reduction: the smallest table that still tells the journey, as CSV with aliases. What a
// model gets is what PostHog found works in production (seed 000): a minimal set of events and
// fields, every repeating value aliased with the mapping sent once, CSV rather than JSON, and
// errors that did not touch the user filtered out so the model does not cry wolf.
import { stringify } from 'csv-stringify/sync'
import { Aliases, LONG_SELECTOR } from './aliases'
import { avalanches, classifyError, isApiCall, isThirdPartyRequest, type ErrorClass } from './noise'
import type { Moment, Timeline } from './timeline'

export interface ReducedRow {
  /** 1-based row number: the model cites rows by it. */
  e: number
  t_ms: number
  tab: string | null
  event: string
  target: string
  el: string
  url: string
  detail: string
  /** events-table ids behind the row (several when rows were collapsed). */
  ids: number[]
  /** The recording window the row happened in (not sent: the model sees `tab`). */
  window: string | null
}

export interface ReduceStats {
  moments: number
  rows: number
  dropped_noise_errors: number
  collapsed_errors: number
  dropped_requests: number
  dropped_duplicates: number
}

export interface ReducedSession {
  session_id: string
  start_ms: number
  end_ms: number
  site: string | null
  rows: ReducedRow[]
  aliases: Aliases
  stats: ReduceStats
}

const secs = (ms: number) => (ms / 1000).toFixed(1)

// Kept percent-encoded: a query value stays one token run that redaction can match whole (the
// e-mail pattern also knows %40).
function relUrl(url: string, site: string | null): string {
  try {
    const u = new URL(url)
    return u.origin === site ? `${u.pathname}${u.search}` : `${u.origin}${u.pathname}${u.search}`
  } catch {
    return url
  }
}

export function reduce(tl: Timeline): ReducedSession {
  const ms = tl.moments
  const aliases = new Aliases()
  const firstNav = ms.find((m) => m.url)
  const site = firstNav?.url ? safeOrigin(firstNav.url) : null
  const stats: ReduceStats = { moments: ms.length, rows: 0, dropped_noise_errors: 0, collapsed_errors: 0, dropped_requests: 0, dropped_duplicates: tl.raw.length - ms.length }
  const multiTab = tl.windows.length > 1

  const classes = new Map<number, ErrorClass>()
  ms.forEach((m, i) => m.kind === 'exception' && classes.set(i, classifyError(ms, i)))
  // Errors kept, grouped by avalanche: one row with a count per group.
  const groupOf = new Map<number, number[]>()
  for (const g of avalanches(ms)) {
    const kept = g.filter((i) => classes.get(i) !== 'noise')
    if (kept.length) groupOf.set(kept[0]!, kept)
    stats.dropped_noise_errors += g.length - kept.length
    stats.collapsed_errors += Math.max(0, kept.length - 1)
  }

  const rows: ReducedRow[] = []
  const target = (m: Moment) => (m.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 80)
  const el = (m: Moment) => (!m.selector ? '' : m.selector.length > LONG_SELECTOR ? aliases.of('el', m.selector) : m.selector)
  const push = (m: Moment, event: string, detail: string, ids = [m.id], extra: Partial<ReducedRow> = {}) =>
    rows.push({
      e: rows.length + 1,
      t_ms: m.t - tl.start_ms,
      tab: multiTab && m.window ? aliases.of('tab', m.window) : null,
      event,
      target: '',
      el: '',
      url: '',
      detail,
      ids,
      window: m.window,
      ...extra,
    })

  ms.forEach((m, i) => {
    switch (m.kind) {
      case 'click':
        return push(m, 'click', '', [m.id], { target: target(m), el: el(m) })
      case 'input': {
        const choice = /^select\b/i.test(m.selector ?? m.tag ?? '')
        const parts = choice ? ['chose an option'] : [m.chars !== null ? `${m.chars} chars` : '', m.typing_ms ? `typed ${secs(m.typing_ms)}s` : '']
        // Never the value: the importer does not keep it, and the row must not carry it.
        return push(m, 'input', parts.filter(Boolean).join(' '), [m.id], { target: target(m), el: el(m) })
      }
      case 'submit': {
        const prev = rows.at(-1)
        if (prev && prev.event === 'click' && m.t - tl.start_ms - prev.t_ms <= 200) {
          prev.detail = prev.detail ? `${prev.detail}; submits form` : 'submits form'
          prev.ids.push(m.id)
          return
        }
        return push(m, 'submit', '', [m.id], { el: el(m) })
      }
      case 'nav':
        return push(m, 'nav', '', [m.id], { url: m.url ? aliases.of('url', relUrl(m.url, site)) : '' })
      case 'pageleave':
        return push(m, 'leave', '')
      case 'exception': {
        const group = groupOf.get(i)
        if (!group) return
        const cls = classes.get(i)!
        const msg = (m.message ?? '').replace(/^Uncaught /, '').slice(0, 160)
        const more = group.length > 1 ? ` (x${group.length} in ${secs(ms[group.at(-1)!]!.t - m.t)}s)` : ''
        return push(m, cls === 'api' ? 'api_error' : 'error', `${m.exc_type && !msg.startsWith(m.exc_type) ? `${m.exc_type}: ` : ''}${msg}${more}`, group.map((j) => ms[j]!.id))
      }
      case 'network': {
        if (!isApiCall(m) || isThirdPartyRequest(m)) {
          stats.dropped_requests++
          return
        }
        const url = m.http_url ? aliases.of('url', relUrl(m.http_url, site)) : ''
        const status = m.status === null || m.status === 0 ? 'failed' : String(m.status)
        return push(m, 'request', `${m.method ?? 'GET'} ${status}${m.duration_ms !== null ? ` ${m.duration_ms}ms` : ''}`, [m.id], { url })
      }
      case 'custom':
      case 'ai': {
        const props = Object.entries(m.props)
          .slice(0, 6)
          .map(([k, v]) => `${k}=${String(v).slice(0, 80)}`)
          .join(' ')
        return push(m, m.kind === 'ai' ? `ai:${m.name}` : `custom:${m.name}`, props)
      }
      case 'rageclick_hint':
      case 'deadclick_hint':
        // The detectors report these (as hints in the prompt); a row would say it twice.
        return
    }
  })
  stats.rows = rows.length
  return { session_id: tl.session_id, start_ms: tl.start_ms, end_ms: tl.end_ms, site, rows, aliases, stats }
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

const COLUMNS = ['e', 't', 'tab', 'event', 'target', 'el', 'url', 'detail'] as const

/**
 * CSV as written here: a cell that starts with = + - @ (or a tab / CR hiding one) gets a leading
 * apostrophe, so no spreadsheet runs a page's text or an error message as a formula.
 */
const csv = (rows: string[][]) => stringify(rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)))).trimEnd()

/**
 * The text a model reads: a header, the alias mappings (only those the rows use) and the event
 * table as CSV. `rows` defaults to all; a segment of a long session passes its slice.
 */
export function renderReduced(r: ReducedSession, rows: ReducedRow[] = r.rows): string {
  const multiTab = rows.some((x) => x.tab)
  const cols = COLUMNS.filter((c) => c !== 'tab' || multiTab)
  const used = new Set(rows.flatMap((x) => [x.url, x.el, x.tab ?? '']).filter(Boolean))
  const table = (prefix: string) => r.aliases.entries(prefix).filter(([a]) => used.has(a))
  const out: string[] = []
  const dur = (r.end_ms - r.start_ms) / 1000
  out.push(`Session length ${dur.toFixed(1)} s${r.site ? `; site ${r.site} (URLs below are relative to it)` : ''}.`)
  const notes = []
  if (r.stats.dropped_noise_errors) notes.push(`${r.stats.dropped_noise_errors} errors from third-party, background or benign sources (not shown)`)
  if (r.stats.collapsed_errors) notes.push(`${r.stats.collapsed_errors} follow-on errors collapsed into their first (see xN)`)
  if (notes.length) out.push(`Filtered as noise: ${notes.join('; ')}.`)
  for (const [prefix, title] of [['url', 'URLs'], ['el', 'Elements']] as const) {
    const entries = table(prefix)
    if (entries.length) out.push(`${title}:\n${csv(entries)}`)
  }
  // A tab's id means nothing to a model; when and where it started does.
  const tabs = table('tab').map(([a]) => {
    const first = r.rows.find((x) => x.tab === a)!
    const nav = r.rows.find((x) => x.tab === a && x.event === 'nav')
    return [a, `first seen at ${secs(first.t_ms)}s${nav ? ` on ${nav.url}` : ''}`]
  })
  if (tabs.length) out.push(`Tabs:\n${csv(tabs)}`)
  const body = rows.map((x) => cols.map((c) => (c === 't' ? secs(x.t_ms) : c === 'e' ? String(x.e) : (x[c] ?? ''))))
  out.push(`Events (t = seconds from session start, e = row number to cite):\n${csv([cols as unknown as string[], ...body])}`)
  return out.join('\n\n')
}

/** Row number → events-table ids, for turning the model's citations back into evidence. */
export function evidenceFor(r: ReducedSession, refs: number[]): number[] {
  return [...new Set(refs.flatMap((e) => r.rows[e - 1]?.ids ?? []))]
}
