// PostHog `$elements_chain`: target element first, then ancestors, joined by ';'. Parsed with
// the same regexes PostHog's element.py uses, for the target's text and a short selector.

export interface ChainElement {
  tag: string
  classes: string[]
  attrs: Record<string, string>
}

const SPLIT_CHAIN = /(?:[^\s;"]|"(?:\\.|[^"])*")+/g
const SPLIT_CLASS_ATTRS = /(.*?)($|:([a-zA-Z\-_0-9]*=.*))/
const ATTRS = /(.*?)="(.*?[^\\])"/gm

export function parseElementsChain(chain: string): ChainElement[] {
  const out: ChainElement[] = []
  for (const m of chain.matchAll(SPLIT_CHAIN)) {
    const el = m[0]
    const parts = SPLIT_CLASS_ATTRS.exec(el)
    const head = parts?.[1] ?? el
    const attrText = parts?.[3] ?? ''
    const [tag = '', ...classes] = head.split('.')
    const attrs: Record<string, string> = {}
    for (const a of attrText.matchAll(ATTRS)) attrs[a[1]!] = a[2]!.replace(/\\"/g, '"')
    out.push({ tag, classes: classes.filter(Boolean), attrs })
  }
  return out
}

/** `button#place-order.btn.primary` for the target element of a chain. */
export function selectorOf(el: ChainElement): string {
  const id = el.attrs.attr__id ?? el.attrs.attr_id
  return `${el.tag}${id ? '#' + id : ''}${el.classes.slice(0, 3).map((c) => '.' + c).join('')}`
}
