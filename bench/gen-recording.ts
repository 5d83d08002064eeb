// Synthetic rrweb recordings of any length, shaped like real ones: a page load (Meta + FullSnapshot)
// every `pageEveryMs`, mouse moves at 20 Hz, a click and a DOM mutation every second.
let nextId = 0
const el = (tagName: string, attributes: Record<string, string>, childNodes: unknown[] = []) => ({ type: 2, tagName, attributes, childNodes, id: ++nextId })
const text = (textContent: string) => ({ type: 3, textContent, id: ++nextId })

function page(n: number, rows: number) {
  nextId = 0
  const title = text(`Page ${n} · t=0`)
  const list = Array.from({ length: rows }, (_, i) =>
    el('li', { class: 'row', 'data-i': String(i) }, [el('span', { class: 'name' }, [text(`Product ${n}-${i}`)]), el('button', { class: 'buy' }, [text('Add to basket')])]),
  )
  const body = el('body', {}, [el('h1', { id: 'title' }, [title]), el('ul', {}, list)])
  const html = el('html', {}, [el('head', {}, [el('style', {}, [text('body{font-family:sans-serif} .row{padding:4px}')])]), body])
  return { doc: { type: 0, childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: ++nextId }, html], id: ++nextId }, titleId: title.id, maxId: nextId }
}

export function* recording(opts: { durationMs: number; start?: number; pageEveryMs?: number; rows?: number }): Generator<object> {
  const start = opts.start ?? Date.UTC(2026, 0, 1)
  const pageEvery = opts.pageEveryMs ?? 300_000
  let p = page(0, opts.rows ?? 200)
  for (let t = 0; t <= opts.durationMs; t += 50) {
    const ts = start + t
    if (t % pageEvery === 0) {
      p = page(t / pageEvery, opts.rows ?? 200)
      yield { type: 4, data: { href: `https://shop.example.test/page/${t / pageEvery}`, width: 1280, height: 800 }, timestamp: ts }
      yield { type: 2, data: { node: p.doc, initialOffset: { top: 0, left: 0 } }, timestamp: ts + 1 }
      continue
    }
    yield { type: 3, data: { source: 1, positions: [{ x: (t / 7) % 1280, y: (t / 11) % 800, id: p.titleId, timeOffset: 0 }] }, timestamp: ts }
    if (t % 1000 === 0) {
      yield { type: 3, data: { source: 0, texts: [{ id: p.titleId, value: `Page ${Math.floor(t / pageEvery)} · t=${t / 1000}` }], attributes: [], removes: [], adds: [] }, timestamp: ts + 2 }
      yield { type: 3, data: { source: 2, type: 2, id: p.titleId, x: 100, y: 40 }, timestamp: ts + 3 }
    }
  }
}

/** The recording as a JSON array text, written in pieces (an hour is tens of MB). */
export async function writeRecording(file: string, opts: Parameters<typeof recording>[0]): Promise<number> {
  const fs = await import('node:fs')
  const out = fs.createWriteStream(file)
  let n = 0
  out.write('[')
  for (const e of recording(opts)) {
    if (!out.write((n++ ? ',' : '') + JSON.stringify(e))) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  out.write(']')
  await new Promise<void>((r) => out.end(r))
  return n
}
