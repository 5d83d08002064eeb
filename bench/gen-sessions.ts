// Many small sessions in one capture-events JSONL file: what per-session work in the import costs.
import fs from 'node:fs'

/**
 * Capture events JSONL with `n` sessions of a few events each, every fourth with a tiny recording
 * (Meta, FullSnapshot, a click): per-session work in the commit is what this measures.
 */
export function generateSessions(file: string, n: number): { bytes: number; events: number } {
  const out = fs.openSync(file, 'w')
  const start = Date.UTC(2026, 0, 1)
  let events = 0
  let lines: string[] = []
  for (let i = 0; i < n; i++) {
    const sid = `0194${i.toString(16).padStart(8, '0')}-0000-7000-8000-000000000000`
    const wid = `0194${i.toString(16).padStart(8, '0')}-0000-7000-8000-0000000000ff`
    const t = start + i * 60_000
    const props = { $session_id: sid, $window_id: wid, $current_url: `https://shop.example.test/p/${i % 500}` }
    const ev = (name: string, dt: number, extra: object = {}) => {
      events++
      return JSON.stringify({ uuid: `0194${i.toString(16).padStart(8, '0')}-${name.length}${dt}`, event: name, timestamp: new Date(t + dt).toISOString(), distinct_id: `user-${i % 997}`, properties: { ...props, ...extra } })
    }
    lines.push(ev('$pageview', 0), ev('$autocapture', 1500, { $event_type: 'click', $el_text: 'Add to basket' }))
    if (i % 4 === 0) {
      const node = { type: 0, id: 1, childNodes: [{ type: 2, id: 2, tagName: 'html', attributes: {}, childNodes: [{ type: 2, id: 3, tagName: 'body', attributes: {}, childNodes: [] }] }] }
      const snaps = [
        { type: 4, data: { href: props.$current_url, width: 1280, height: 800 }, timestamp: t },
        { type: 2, data: { node, initialOffset: { top: 0, left: 0 } }, timestamp: t + 1 },
        { type: 3, data: { source: 2, type: 2, id: 3, x: 10, y: 10 }, timestamp: t + 1500 },
      ]
      lines.push(JSON.stringify({ uuid: `snap-${i}`, event: '$snapshot', timestamp: new Date(t).toISOString(), properties: { ...props, $snapshot_data: snaps } }))
    }
    if (lines.length > 1000) {
      fs.writeSync(out, lines.join('\n') + '\n')
      lines = []
    }
  }
  fs.writeSync(out, lines.join('\n') + '\n')
  fs.closeSync(out)
  return { bytes: fs.statSync(file).size, events }
}
