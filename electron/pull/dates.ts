// Dates as a pull is given them: ISO text, or PostHog's relative form ('-7d', '-12h', '-2w').
import { UserError } from '../errors'

/** '-7d' / '-12h' / an ISO date → ISO text HogQL's toDateTime reads. */
export function absoluteDate(v: string, now: number, flag: string): string {
  const rel = /^-(\d+)([hdw])$/.exec(v.trim())
  if (rel) return new Date(now - Number(rel[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[2] as 'h' | 'd' | 'w']).toISOString()
  const t = Date.parse(v)
  if (Number.isNaN(t)) throw new UserError(`${flag} takes a date (2026-05-01, 2026-05-01T12:00:00Z) or a relative one (-7d, -12h), not ${JSON.stringify(v)}.`, 'invalid_request')
  return new Date(t).toISOString()
}
