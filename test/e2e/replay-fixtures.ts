// Generated rrweb recordings for the replay tests: long enough to outrun the player's read-ahead,
// with several page loads (Meta + FullSnapshot), and DOM changes of every kind the replayer
// applies (nested adds, adds before a sibling added later in the same mutation, removes, text,
// attributes, input values, scrolls, mouse moves, clicks). Seeded, so a failure can be replayed.

/** mulberry32: small, seedable, good enough to pick times and operations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Node = { type: number; id: number; tagName?: string; attributes?: Record<string, string>; childNodes?: Node[]; textContent?: string; name?: string; publicId?: string; systemId?: string }
type Ev = { type: number; data: unknown; timestamp: number }

export interface GenOptions {
  seed: number
  start: number
  /** Page loads (ms from start); the first must be 0. */
  pageLoads: number[]
  durationMs: number
  /** Stretches (ms from start) with no user activity and no DOM change. */
  idle?: [number, number][]
  /** Mean ms between operations. */
  stepMs?: number
  viewport?: { width: number; height: number }
}

export function generateRecording(o: GenOptions): Ev[] {
  const r = rng(o.seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!
  const vp = o.viewport ?? { width: 1024, height: 700 }
  const events: Ev[] = []
  let id = 0
  // Live element ids under the page's list container, and the text node of each item.
  let items: { id: number; text: number }[] = []
  let listId = 0
  let headingText = 0
  let inputId = 0
  let scrollerId = 0
  let bannerId = 0
  let counter = 0
  const el = (tagName: string, attributes: Record<string, string>, childNodes: Node[] = []): Node => ({ type: 2, tagName, attributes, childNodes, id: ++id })
  const text = (textContent: string): Node => ({ type: 3, textContent, id: ++id })
  const item = (label: string): { node: Node; ref: { id: number; text: number } } => {
    const t = text(label)
    const li = el('li', { class: `item n${counter % 5}` }, [t])
    return { node: li, ref: { id: li.id, text: t.id } }
  }

  const page = (ts: number, n: number) => {
    id = 0
    items = []
    const h = text(`Page ${n}`)
    headingText = h.id
    const list: Node[] = []
    const refs: { id: number; text: number }[] = []
    for (let i = 0; i < 4; i++) {
      const it = item(`item ${n}.${i}`)
      list.push(it.node)
      refs.push(it.ref)
    }
    const ul = el('ul', { id: 'list' }, list)
    listId = ul.id
    items = refs
    const input = el('input', { type: 'text', name: 'q', value: '' })
    inputId = input.id
    const rows = Array.from({ length: 30 }, (_, i) => el('p', {}, [text(`row ${i}`)]))
    const scroller = el('div', { id: 'scroller', style: 'height:120px;overflow:auto' }, rows)
    scrollerId = scroller.id
    const banner = el('div', { id: 'banner', class: 'hidden' }, [text('error 500')])
    bannerId = banner.id
    const style = el('style', {}, [text('.hidden{display:none} .item{color:#333} .n1{color:#a00}')])
    const body = el('body', {}, [el('h1', { id: 'title' }, [h]), banner, input, ul, scroller])
    const html = el('html', { lang: 'en' }, [el('head', {}, [style, el('title', {}, [text(`Generated ${n}`)])]), body])
    const doc: Node = { type: 0, id: ++id, childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: ++id }, html] }
    events.push({ type: 4, data: { href: `http://gen.test/page/${n}`, width: vp.width, height: vp.height }, timestamp: ts })
    events.push({ type: 2, data: { node: doc, initialOffset: { top: 0, left: 0 } }, timestamp: ts + 5 })
  }

  const mutation = (ts: number, d: Partial<{ texts: unknown[]; attributes: unknown[]; removes: unknown[]; adds: unknown[] }>) =>
    events.push({ type: 3, data: { source: 0, texts: [], attributes: [], removes: [], adds: [], ...d }, timestamp: ts })

  const ops: ((ts: number) => void)[] = [
    // one item appended, or inserted before an existing one
    (ts) => {
      counter++
      const it = item(`added ${counter}`)
      const before = items.length && r() < 0.5 ? pick(items) : null
      mutation(ts, { adds: [{ parentId: listId, nextId: before?.id ?? null, node: it.node }] })
      items.splice(before ? items.indexOf(before) : items.length, 0, it.ref)
    },
    // two items in one mutation, the first placed before the second (nextId names a node added
    // later in the same list): the replayer must resolve it, as recorded pages do
    (ts) => {
      counter++
      const a = item(`pair ${counter}a`)
      const b = item(`pair ${counter}b`)
      mutation(ts, { adds: [{ parentId: listId, nextId: b.ref.id, node: a.node }, { parentId: listId, nextId: null, node: b.node }] })
      items.push(a.ref, b.ref)
    },
    // a nested subtree added child-first: the child names a parent added after it
    (ts) => {
      counter++
      const t = text(`nested ${counter}`)
      const span = el('span', { class: 'inner' }, [])
      const li = el('li', { class: 'item nested' }, [])
      mutation(ts, {
        adds: [
          { parentId: span.id, nextId: null, node: t },
          { parentId: li.id, nextId: null, node: span },
          { parentId: listId, nextId: null, node: li },
        ],
      })
      items.push({ id: li.id, text: t.id })
    },
    (ts) => {
      if (items.length < 2) return
      const victim = pick(items)
      mutation(ts, { removes: [{ parentId: listId, id: victim.id }] })
      items = items.filter((x) => x !== victim)
    },
    (ts) => {
      if (!items.length) return
      mutation(ts, { texts: [{ id: pick(items).text, value: `changed ${++counter}` }] })
    },
    (ts) => mutation(ts, { attributes: [{ id: bannerId, attributes: { class: r() < 0.5 ? 'shown' : 'hidden' } }] }),
    (ts) => mutation(ts, { texts: [{ id: headingText, value: `Heading ${++counter}` }] }),
    (ts) => events.push({ type: 3, data: { source: 5, id: inputId, text: `typed ${++counter}`, isChecked: false }, timestamp: ts }),
    (ts) => events.push({ type: 3, data: { source: 3, id: scrollerId, x: 0, y: Math.floor(r() * 400) }, timestamp: ts }),
    (ts) => {
      const x = Math.floor(r() * vp.width)
      const y = Math.floor(r() * vp.height)
      events.push({ type: 3, data: { source: 1, positions: [{ x, y, id: listId, timeOffset: -40 }, { x: x + 5, y: y + 3, id: listId, timeOffset: 0 }] }, timestamp: ts })
    },
    (ts) => events.push({ type: 3, data: { source: 2, type: 2, id: items.length ? pick(items).id : listId, x: 10, y: 10 }, timestamp: ts }),
  ]

  const idle = o.idle ?? []
  const step = o.stepMs ?? 400
  const loads = [...o.pageLoads]
  let pageNo = 0
  for (let t = 0; t <= o.durationMs; ) {
    if (loads.length && t >= loads[0]!) {
      page(o.start + loads.shift()!, ++pageNo)
      t += 50
      continue
    }
    if (!idle.some(([a, b]) => t >= a && t < b)) pick(ops)(o.start + t)
    t += 1 + Math.floor(r() * step * 2)
  }
  // A last sign of life at the end so the recording really lasts durationMs.
  events.push({ type: 3, data: { source: 1, positions: [{ x: 1, y: 1, id: listId, timeOffset: 0 }] }, timestamp: o.start + o.durationMs })
  return events.sort((a, b) => a.timestamp - b.timestamp)
}
