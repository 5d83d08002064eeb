// rrweb's text masking applied to a recording after the fact: every character of page text but
// whitespace becomes '*' (rrweb's default maskTextFn), in full snapshots and text mutations. Style
// and script text is left alone (it is not shown, and masking it would change the layout). Input
// values stay as recorded (masked at recording time when the recorder was told to).

type Ev = { type: number; timestamp: number; data?: unknown }
type SNode = { type: number; tagName?: string; textContent?: string; isStyle?: boolean; childNodes?: SNode[] }

const FULL_SNAPSHOT = 2
const INCREMENTAL = 3
const MUTATION = 0
const TEXT_NODE = 3
const HIDDEN = new Set(['style', 'script', 'noscript', 'template'])

const mask = (s: string): string => s.replace(/[^\s]/g, '*')

function maskNode(n: SNode, parentTag: string | undefined): SNode {
  if (n.type === TEXT_NODE && typeof n.textContent === 'string' && !n.isStyle && !(parentTag && HIDDEN.has(parentTag))) return { ...n, textContent: mask(n.textContent) }
  if (!n.childNodes) return n
  return { ...n, childNodes: n.childNodes.map((c) => maskNode(c, n.tagName?.toLowerCase() ?? parentTag)) }
}

export function maskEventsText<E extends Ev>(events: readonly E[]): E[] {
  return events.map((e) => {
    const d = e.data as Record<string, unknown> | undefined
    if (!d) return e
    if (e.type === FULL_SNAPSHOT && d.node) return { ...e, data: { ...d, node: maskNode(d.node as SNode, undefined) } }
    if (e.type === INCREMENTAL && d.source === MUTATION) {
      const texts = (d.texts as { id: number; value: string | null }[] | undefined)?.map((t) => ({ ...t, value: t.value === null ? null : mask(t.value) }))
      // An added text node's parent is not in the event; a style's text added alone keeps isStyle.
      const adds = (d.adds as { node: SNode }[] | undefined)?.map((a) => ({ ...a, node: maskNode(a.node, undefined) }))
      return { ...e, data: { ...d, ...(texts ? { texts } : {}), ...(adds ? { adds } : {}) } }
    }
    return e
  })
}
