// Event time parsing for product events: ISO strings (with 'T' or a space, any fraction digits,
// Z / ±hh:mm / none = UTC, as PostHog's CSV writes them) or epoch numbers (s or ms).

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * The latest time stored: 9999-12-31T23:59:59.999Z. Beyond it JavaScript dates fail ("Invalid
 * time value" past ±8.64e15 ms) and integers lose precision (2^53): one such event would break
 * every reader of the session, so the importer skips it instead.
 */
export const MAX_TIME_MS = 253_402_300_799_999

/** A positive epoch-ms time every reader can show. */
export const timeInRange = (ms: number): boolean => ms > 0 && ms <= MAX_TIME_MS

/** What to say in `skipped` for an event whose time is past MAX_TIME_MS. */
export const OUT_OF_RANGE = 'timestamp out of range (after year 9999)'

/** A time in epoch ms; null when missing, unreadable or out of range (see timeOf). */
export function parseTime(v: unknown): number | null {
  const t = timeOf(v)
  return typeof t === 'number' ? t : null
}

/** Like parseTime, but tells a readable time out of range apart from no time at all. */
export function timeOf(v: unknown): number | null | 'out of range' {
  const ms = parseAny(v)
  if (ms === null) return null
  return timeInRange(ms) ? ms : 'out of range'
}

function parseAny(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? epochToMs(v) : null
  if (typeof v !== 'string') return null
  const s = v.trim()
  if (/^\d+(\.\d+)?$/.test(s)) return epochToMs(Number(s))
  const m = ISO.exec(s)
  if (!m) return null
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0
  let ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)) + Math.round(frac)
  const tz = m[8]
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1
    const digits = tz.slice(1).replace(':', '')
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000
  }
  return Number.isFinite(ms) ? ms : null
}

/** Seconds below 1e11 (before 1973 in ms, year 5138 in s): PostHog's `$time` is seconds. */
function epochToMs(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null
  return Math.round(n < 1e11 ? n * 1000 : n)
}
