// The reduced form a model reads: CSV with aliases defined once, noise filtered, avalanches
// collapsed, ≤ 0.10 of the raw events' tokens; and redaction of S5's personal data.
import { parse } from 'csv-parse/sync'
import zlib from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { estimateTokens } from '../../electron/llm/tokens'
import { Redactor } from '../../electron/llm/redact'
import { reduceSession, renderReduced } from '../../electron/sessions'
import { importSample, S5_SECRETS, sampleNames, tempDir } from './helpers'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

function eventsTable(text: string): Record<string, string>[] {
  const csv = text.slice(text.indexOf('\n', text.indexOf('Events (')) + 1)
  return parse(csv, { columns: true }) as Record<string, string>[]
}

describe('reduced session', () => {
  it('is CSV with every alias defined once and used, and cites rows by number', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S3-search-500-spa.posthog-events.jsonl')
    try {
      const text = renderReduced(reduceSession(store, sessionId))
      const rows = eventsTable(text)
      expect(Object.keys(rows[0]!)).toEqual(['e', 't', 'event', 'target', 'el', 'url', 'detail'])
      expect(rows.map((r) => Number(r.e))).toEqual(rows.map((_, i) => i + 1))
      const defined = [...text.matchAll(/^(url_\d+|el_\d+),/gm)].map((m) => m[1]!)
      expect(new Set(defined).size).toBe(defined.length)
      const used = new Set(rows.flatMap((r) => [r.url, r.el]).filter((v) => /^(url|el)_\d+$/.test(v!)))
      expect([...used].sort()).toEqual([...defined].sort())
      // No full URL in the table itself: only aliases.
      for (const r of rows) expect(r.url ?? '').not.toMatch(/^https?:/)
      expect(rows.some((r) => r.event === 'request' && /GET 500/.test(r.detail!))).toBe(true)
      expect(rows.some((r) => r.event === 'api_error')).toBe(true)
    } finally {
      store.close()
    }
  })

  it('aliases tabs and says when each started, not its id', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S4-two-tabs.posthog-events.jsonl')
    try {
      const text = renderReduced(reduceSession(store, sessionId))
      expect(text).toMatch(/^tab_2,first seen at [\d.]+s on url_\d+$/m)
      expect(Object.keys(eventsTable(text)[0]!)).toContain('tab')
      expect(new Set(eventsTable(text).map((r) => r.tab))).toEqual(new Set(['tab_1', 'tab_2']))
      for (const w of store.chunks.windows(sessionId)) expect(text).not.toContain(w.window_id)
    } finally {
      store.close()
    }
  })

  it('drops third-party noise (S6) and collapses an avalanche into one row with a count (S2)', async () => {
    const s6 = await importSample(tmp.dir, 'S6-thirdparty-widget-errors-purchase-ok.posthog-events.jsonl')
    const s2 = await importSample(tmp.dir, 'S2-checkout-typeerror-rage-leave.posthog-events.jsonl')
    try {
      const r6 = reduceSession(s6.store, s6.sessionId)
      expect(r6.rows.filter((r) => r.event === 'error' || r.event === 'api_error')).toEqual([])
      expect(r6.stats.dropped_noise_errors).toBeGreaterThanOrEqual(11)
      expect(renderReduced(r6)).not.toMatch(/StarPanel|starpanel|ResizeObserver/)
      const r2 = reduceSession(s2.store, s2.sessionId)
      const errors = r2.rows.filter((r) => r.event === 'error')
      expect(errors).toHaveLength(2) // the first failed submit, then the rage burst's five as one
      expect(errors[1]!.detail).toMatch(/x5 in/)
      expect(errors[1]!.ids).toHaveLength(5)
    } finally {
      s6.store.close()
      s2.store.close()
    }
  })

  it('keeps no typed values, no mouse moves and no static requests', async () => {
    const { store, sessionId } = await importSample(tmp.dir, 'S1-happy-browse-and-buy.posthog-export.json')
    try {
      const rows = eventsTable(renderReduced(reduceSession(store, sessionId)))
      expect(new Set(rows.map((r) => r.event))).toEqual(new Set(['nav', 'click', 'input', 'request', 'submit'].filter((e) => rows.some((r) => r.event === e))))
      for (const r of rows.filter((x) => x.event === 'input')) expect(r.detail).toMatch(/^((\d+ chars)?( typed [\d.]+s)?|chose an option)$/)
      expect(rows.some((r) => /\.(js|css)$/.test(r.url!))).toBe(false)
    } finally {
      store.close()
    }
  })

  it('takes ≤ 0.10 of the raw events JSON tokens over all samples, and of the recording for rrweb-only files', async () => {
    let ours = 0
    let raw = 0
    for (const name of sampleNames) {
      const { store, sessionId } = await importSample(tmp.dir, name, `ratio-${name}.db`)
      try {
        const reduced = estimateTokens(renderReduced(reduceSession(store, sessionId)))
        const events = estimateTokens(JSON.stringify(store.events.bySession(sessionId).map((e) => ({ ...e, properties: JSON.parse(e.properties) as unknown }))))
        const hasProduct = store.events.bySession(sessionId, { origin: 'product' }).length > 0
        if (hasProduct) expect(reduced / events, name).toBeLessThanOrEqual(0.1)
        else {
          const rec = store.chunks.windows(sessionId).flatMap((w) => store.chunks.chunks(w.id).map((c) => zlib.gunzipSync(c.data).toString('utf8')))
          expect(reduced / estimateTokens(rec.join(',')), name).toBeLessThanOrEqual(0.1)
        }
        ours += reduced
        raw += events
      } finally {
        store.close()
      }
    }
    expect(ours / raw).toBeLessThanOrEqual(0.1)
  })
})

describe('redaction', () => {
  const r = new Redactor()
  it('removes e-mails (also percent-encoded), phones, cards (Luhn), IBANs and keys', () => {
    const text = [
      'mail maria.keller@example.org and /newsletter?email=maria.keller%40example.org',
      'call +49 30 23125 417 or 0049 30 23125417',
      'card 4242 4242 4242 4242 and 4111-1111-1111-1111; order 1234 5678 9012 3456 is not a card',
      'IBAN DE91 1001 7997 6523 8841 02',
      'key sk-live-7Qm2Xv9Lc4Tn8Rb1Wd6Hy3Kp5Zs0Fa and ?api_key=abc123 and AIzaSyA1234567890abcdefghijklmnopqrstu',
    ].join('\n')
    const out = r.redact(text)
    for (const s of S5_SECRETS) expect(out.text).not.toContain(s)
    expect(out.text).not.toMatch(/4111-1111|0049 30|abc123|AIza/)
    expect(out.text).toContain('1234 5678 9012 3456')
    expect(out.counts).toMatchObject({ emails: 2, phones: 2, cards: 2, ibans: 1 })
    expect(out.counts.keys).toBeGreaterThanOrEqual(3)
  })
  it('leaves times, counts and row numbers alone, and a turned-off category in place', () => {
    const row = '37,52.7,click,Request refund,el_1,,\n38,52.7,request,,,url_11,POST 500 8ms\n50,69.3,input,,textarea#chat-msg,,102 chars typed 14.0s'
    expect(r.redact(row).text).toBe(row)
    expect(new Redactor(['emails']).redact('a@b.org').text).toBe('a@b.org')
  })
  it('treats search terms and form values in URLs as typed input', () => {
    expect(r.text('/support/search?q=refund%20to%20bank%20account&page=2')).toBe('/support/search?q=[value]&page=2')
    expect(new Redactor(['input_values']).text('/search?q=shoes')).toBe('/search?q=shoes')
  })
})
