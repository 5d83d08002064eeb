// A minimal mirror of the recorded DOM of one window: enough to name the element a click or an
// input event points at. Seeded by each FullSnapshot (node ids restart there), kept current by
// Mutation events as the rrweb replayer would apply them.
import { NodeType } from '../../shared/rrweb'

interface MNode {
  id: number
  type: number
  tag: string
  attrs: Record<string, unknown>
  text: string
  parent: number | null
  children: number[]
}

type SNode = {
  id?: unknown
  type?: unknown
  tagName?: unknown
  attributes?: unknown
  textContent?: unknown
  childNodes?: unknown
}

const INTERACTIVE = new Set(['button', 'a', 'input', 'select', 'textarea', 'label', 'summary', 'option'])
const INTERACTIVE_ROLES = new Set(['button', 'link', 'tab', 'menuitem', 'checkbox', 'radio', 'switch', 'option'])
const NO_TEXT = new Set(['script', 'style', 'noscript', 'template'])
const MAX_LABEL = 200
// An element's inner text is its name when it reads as one phrase: a few pieces, short.
const MAX_NAME_PIECES = 3
const MAX_NAME_CHARS = 60

export interface ElementInfo {
  text: string | null
  selector: string | null
  tag: string | null
}

export class DomMirror {
  private nodes = new Map<number, MNode>()

  reset(root: unknown): void {
    this.nodes.clear()
    this.addTree(root as SNode, null)
  }

  applyMutation(data: Record<string, unknown>): void {
    for (const r of arr(data.removes)) this.remove(Number((r as { id?: unknown }).id))
    // Adds may name parents added later in the same batch: retry until nothing moves (rrweb does too).
    let pending = arr(data.adds) as { parentId?: unknown; nextId?: unknown; node?: unknown }[]
    for (let round = 0; pending.length && round < 50; round++) {
      const next: typeof pending = []
      for (const a of pending) {
        const parent = this.nodes.get(Number(a.parentId))
        if (!parent) next.push(a)
        else this.addTree(a.node as SNode, parent.id, typeof a.nextId === 'number' ? a.nextId : null)
      }
      if (next.length === pending.length) break
      pending = next
    }
    for (const t of arr(data.texts) as { id?: unknown; value?: unknown }[]) {
      const n = this.nodes.get(Number(t.id))
      if (n) n.text = typeof t.value === 'string' ? t.value : ''
    }
    for (const a of arr(data.attributes) as { id?: unknown; attributes?: unknown }[]) {
      const n = this.nodes.get(Number(a.id))
      if (!n || typeof a.attributes !== 'object' || a.attributes === null) continue
      for (const [k, v] of Object.entries(a.attributes)) {
        if (v === null) delete n.attrs[k]
        else n.attrs[k] = v
      }
    }
  }

  /** The element a user meant: the nearest interactive ancestor of the target, else the target. */
  describe(id: number): ElementInfo {
    let n = this.nodes.get(id)
    if (!n) return { text: null, selector: null, tag: null }
    if (n.type !== NodeType.Element && n.parent !== null) n = this.nodes.get(n.parent) ?? n
    let pick = n
    for (let cur: MNode | undefined = n, depth = 0; cur && depth < 12; cur = cur.parent === null ? undefined : this.nodes.get(cur.parent), depth++) {
      if (cur.type === NodeType.Element && this.isInteractive(cur)) {
        pick = cur
        break
      }
    }
    return { text: this.label(pick), selector: selector(pick), tag: pick.tag || null }
  }

  /** Label for a form field: its <label for=id>, else placeholder / aria-label / name. */
  fieldLabel(id: number): ElementInfo {
    const n = this.nodes.get(id)
    if (!n) return { text: null, selector: null, tag: null }
    let text: string | null = null
    const elId = n.attrs.id
    if (typeof elId === 'string' && elId) {
      for (const m of this.nodes.values()) {
        if (m.tag === 'label' && m.attrs.for === elId) {
          text = this.textOf(m) || null
          break
        }
      }
    }
    text ??= attrText(n, ['aria-label', 'placeholder', 'title', 'name'])
    return { text, selector: selector(n), tag: n.tag || null }
  }

  private isInteractive(n: MNode): boolean {
    return INTERACTIVE.has(n.tag) || INTERACTIVE_ROLES.has(String(n.attrs.role ?? '')) || 'onclick' in n.attrs
  }

  private label(n: MNode): string | null {
    if (n.tag === 'input') {
      const t = String(n.attrs.type ?? '')
      // A button-like input shows its value; any other input's value is user data, never a label.
      if ((t === 'submit' || t === 'button' || t === 'reset') && typeof n.attrs.value === 'string') return clip(n.attrs.value)
      return attrText(n, ['aria-label', 'placeholder', 'title', 'name', 'type'])
    }
    // What a person reads as its name: the aria-label, else the text inside it when that is a
    // short phrase; an element holding many texts (a card, a menu, a nav bar) is named by its own
    // text, its title, or its first text — never by all of them run together
    // ("PostHogPostHog ReactCapture eventAutocapture buttons…").
    const aria = attrText(n, ['aria-label'])
    if (aria) return aria
    const pieces = this.textPieces(n)
    // As the page shows it ("Basket (<span>3</span>)" is "Basket (3)").
    const joined = this.textOf(n)
    if (pieces.length && pieces.length <= MAX_NAME_PIECES && joined.length <= MAX_NAME_CHARS) return joined
    const own = clip(n.children.map((c) => this.nodes.get(c)).filter((c) => c?.type === NodeType.Text).map((c) => c!.text).join(' '))
    return own || attrText(n, ['title']) || (pieces[0] ? clip(pieces[0]) : null) || attrText(n, ['alt'])
  }

  /** The element's text nodes (and image alts) in document order, each trimmed, empty ones left out. */
  private textPieces(n: MNode): string[] {
    const out: string[] = []
    let size = 0
    const stack = [n.id]
    while (stack.length && size < MAX_LABEL * 2) {
      const cur = this.nodes.get(stack.pop()!)
      if (!cur) continue
      const t = cur.type === NodeType.Text ? cur.text.trim() : cur.type === NodeType.Element && cur.tag === 'img' && typeof cur.attrs.alt === 'string' ? cur.attrs.alt.trim() : ''
      if (t) {
        out.push(t)
        size += t.length
      }
      if (cur.type === NodeType.Element && NO_TEXT.has(cur.tag)) continue
      for (let i = cur.children.length - 1; i >= 0; i--) stack.push(cur.children[i]!)
    }
    return out
  }

  private textOf(n: MNode): string {
    const parts: string[] = []
    let size = 0
    const stack = [n.id]
    while (stack.length && size < MAX_LABEL * 2) {
      const cur = this.nodes.get(stack.pop()!)
      if (!cur) continue
      if (cur.type === NodeType.Text) {
        parts.push(cur.text)
        size += cur.text.length
      } else if (cur.type === NodeType.Element && NO_TEXT.has(cur.tag)) continue
      else if (cur.type === NodeType.Element && cur.tag === 'img' && typeof cur.attrs.alt === 'string') parts.push(' ' + cur.attrs.alt + ' ')
      for (let i = cur.children.length - 1; i >= 0; i--) stack.push(cur.children[i]!)
    }
    return clip(parts.join(''))
  }

  private addTree(root: SNode, parent: number | null, before: number | null = null): void {
    if (!root || typeof root !== 'object') return
    const stack: [SNode, number | null, number | null][] = [[root, parent, before]]
    while (stack.length) {
      const [s, p, b] = stack.pop()!
      const id = Number(s.id)
      if (!Number.isFinite(id)) continue
      const n: MNode = {
        id,
        type: Number(s.type),
        tag: typeof s.tagName === 'string' ? s.tagName.toLowerCase() : '',
        attrs: typeof s.attributes === 'object' && s.attributes !== null ? { ...(s.attributes as Record<string, unknown>) } : {},
        text: typeof s.textContent === 'string' ? s.textContent : '',
        parent: p,
        children: [],
      }
      if (this.nodes.has(id)) this.remove(id)
      this.nodes.set(id, n)
      const pn = p === null ? undefined : this.nodes.get(p)
      if (pn) {
        const at = b === null ? -1 : pn.children.indexOf(b)
        if (at >= 0) pn.children.splice(at, 0, id)
        else pn.children.push(id)
      }
      const kids = arr(s.childNodes) as SNode[]
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, id, null])
      // Children pushed in reverse are popped in order; each appends, so order is kept.
    }
  }

  private remove(id: number): void {
    const n = this.nodes.get(id)
    if (!n) return
    const p = n.parent === null ? undefined : this.nodes.get(n.parent)
    if (p) p.children = p.children.filter((c) => c !== id)
    const stack = [id]
    while (stack.length) {
      const cur = this.nodes.get(stack.pop()!)
      if (!cur) continue
      this.nodes.delete(cur.id)
      stack.push(...cur.children)
    }
  }
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > MAX_LABEL ? t.slice(0, MAX_LABEL - 1) + '…' : t
}

function attrText(n: MNode, keys: string[]): string | null {
  for (const k of keys) {
    const v = n.attrs[k]
    if (typeof v === 'string' && v.trim()) return clip(v)
  }
  return null
}

function selector(n: MNode): string | null {
  if (!n.tag) return null
  const id = typeof n.attrs.id === 'string' && n.attrs.id ? '#' + n.attrs.id : ''
  const cls = typeof n.attrs.class === 'string' ? n.attrs.class.split(/\s+/).filter(Boolean).slice(0, 3).map((c) => '.' + c).join('') : ''
  return n.tag + id + cls
}
