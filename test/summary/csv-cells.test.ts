// The compact CSV sent to models is CSV the user may also open: no cell starts a spreadsheet
// formula (= + - @, or a tab / CR hiding one), whatever a page's text or an error message says.
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { reduceSession, renderReduced } from '../../electron/sessions'
import { openStore } from '../../electron/store'
import { tempDir } from '../helpers'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1,2)', '\t=1+1']

describe('CSV cells sent to models', () => {
  it('never begin with = + - @ (formulas are quoted out, text kept)', async () => {
    const t0 = Date.UTC(2026, 0, 1)
    const props = { $session_id: 'formula-session', $window_id: 'w1' }
    const ev = (i: number, event: string, extra: Record<string, unknown>) =>
      JSON.stringify({ uuid: `u${i}`, event, timestamp: new Date(t0 + i * 1000).toISOString(), distinct_id: 'd', properties: { ...props, ...extra } })
    const lines = [ev(0, '$pageview', { $current_url: 'https://shop.example.test/' })]
    FORMULAS.forEach((f, i) => {
      lines.push(ev(1 + i * 3, '$autocapture', { $event_type: 'click', $el_text: f, $current_url: `https://shop.example.test/${encodeURIComponent(f)}` }))
      lines.push(ev(2 + i * 3, '$exception', { $exception_type: f, $exception_message: f, $current_url: 'https://shop.example.test/' }))
      lines.push(ev(3 + i * 3, '$pageview', { $current_url: `https://other.example/${f}` }))
    })
    const file = path.join(tmp.dir, 'formulas.jsonl')
    fs.writeFileSync(file, lines.join('\n') + '\n')
    const store = openStore(path.join(tmp.dir, 'f.db'))
    try {
      const [r] = await importFiles(store, [file])
      expect(r!.error).toBeNull()
      const text = renderReduced(reduceSession(store, 'formula-session'))
      // Every CSV block: the alias tables and the events table.
      const cells = text
        .split('\n\n')
        .filter((b) => /^(URLs|Elements|Tabs|Events)/.test(b))
        .flatMap((b) => (parse(b.slice(b.indexOf('\n') + 1), { relax_column_count: true }) as string[][]).flat())
      expect(cells.length).toBeGreaterThan(10)
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([])
      // The text itself still reaches the model.
      expect(cells.some((c) => c.includes('HYPERLINK'))).toBe(true)
      expect(cells.some((c) => c.includes('SUM(1,2)'))).toBe(true)
    } finally {
      store.close()
    }
  })
})
