// Redaction: personal data and secrets are removed from everything before it is sent to a model,
// printed by --dry-run, or stored as a flag title. Applied to the final text, so nothing that
// reaches a request escapes it. Each category can be turned off by the user.

import { REDACT_CATEGORIES, type RedactCategory } from '../../shared/summary'

export { REDACT_CATEGORIES, type RedactCategory }

export interface RedactResult {
  text: string
  counts: Partial<Record<RedactCategory, number>>
}

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
// 13–19 digits, optionally grouped by spaces or dashes; confirmed by the Luhn check below.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g
// International (+49 …, 0049 …) or grouped national numbers with at least 8 digits.
const PHONE = /(?:\+|\b00)\d{1,3}[\s./-]?(?:\(?\d{1,5}\)?[\s./-]?){1,5}\d{2,}|\(\d{2,5}\)[\s./-]?\d{3,}[\s./-]?\d{2,}/g
// API keys and tokens: well-known prefixes, JWTs, bearer values, and long random-looking strings.
const KEYS = [
  /\b(?:sk|pk|rk)[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g,
  /\b(?:phc|phx)_[A-Za-z0-9]{20,}/g,
  /(?<=\bBearer\s+)[A-Za-z0-9._~+/-]{12,}=*/g,
  /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{32,}\b/g,
]
// Query parameters and key=value pairs whose name says they hold a secret or a typed value.
const SECRET_PARAM = /\b((?:api[_-]?key|access[_-]?token|auth|token|secret|password|passwd|pwd|session[_-]?token)=)[^&\s,"']+/gi
// Search terms in URLs are typed values too (people paste e-mails and order numbers into search).
const INPUT_PARAM = /\b((?:value|text|input|message|msg|comment|name|first_?name|last_?name|address|street|zip|postcode|q|query|search|s|term|keywords?)=)[^&\s,"']+/gi

function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

export class Redactor {
  private readonly on: Set<RedactCategory>

  /** `off`: categories the user turned off. */
  constructor(off: RedactCategory[] = []) {
    this.on = new Set(REDACT_CATEGORIES.filter((c) => !off.includes(c)))
  }

  redact(input: string): RedactResult {
    const counts: RedactResult['counts'] = {}
    const count = (c: RedactCategory) => (counts[c] = (counts[c] ?? 0) + 1)
    let text = input
    const sub = (c: RedactCategory, re: RegExp, fn: (m: string, ...g: string[]) => string | null) => {
      if (!this.on.has(c)) return
      text = text.replace(re, (m: string, ...g: unknown[]) => {
        const out = fn(m, ...(g.filter((x) => typeof x === 'string') as string[]))
        if (out === null) return m
        count(c)
        return out
      })
    }
    sub('keys', SECRET_PARAM, (_m, name) => `${name}[key]`)
    for (const re of KEYS) sub('keys', re, () => '[key]')
    sub('emails', EMAIL, () => '[email]')
    sub('ibans', IBAN, (m) => (/\d{4}/.test(m.replace(/\s/g, '').slice(4)) ? '[iban]' : null))
    sub('cards', CARD, (m) => (luhn(m.replace(/\D/g, '')) ? '[card]' : null))
    sub('phones', PHONE, (m) => {
      const digits = m.replace(/\D/g, '').length
      return digits >= 8 && digits <= 15 ? '[phone]' : null
    })
    sub('input_values', INPUT_PARAM, (_m, name) => `${name}[value]`)
    return { text, counts }
  }

  /** Redacts and returns only the text (flag titles, log lines). */
  text(input: string): string {
    return this.redact(input).text
  }
}

export const defaultRedactor = new Redactor()

export function mergeCounts(a: RedactResult['counts'], b: RedactResult['counts']): RedactResult['counts'] {
  const out = { ...a }
  for (const [k, v] of Object.entries(b) as [RedactCategory, number][]) out[k] = (out[k] ?? 0) + v
  return out
}
