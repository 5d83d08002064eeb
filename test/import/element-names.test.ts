// Element names as a person reads them (issue 13): "Click on 'PostHogPostHog ReactCapture
// eventAutocapture buttonsFeature ' did nothing" named a link by all its children's texts run
// together. A name is the aria-label, a short inner phrase, else the element's own text, title or
// first text.
import { describe, expect, it } from 'vitest'
import { DomMirror } from '../../electron/import/dom-mirror'

let ids = 1
type SNode = { id: number; type: number; tagName?: string; attributes?: Record<string, string>; textContent?: string; childNodes?: SNode[] }
const el = (tagName: string, attributes: Record<string, string>, ...childNodes: SNode[]): SNode => ({ id: ids++, type: 2, tagName, attributes, childNodes })
const txt = (textContent: string): SNode => ({ id: ids++, type: 3, textContent })
function nameOf(target: SNode): string | null {
  const doc: SNode = { id: ids++, type: 0, childNodes: [el('html', {}, el('body', {}, target))] }
  const m = new DomMirror()
  m.reset(doc)
  return m.describe(target.id).text
}

describe('element names', () => {
  it('a link holding a menu of texts is named by its first text, not all of them run together', () => {
    const card = el('a', { href: '/docs' }, el('span', {}, txt('PostHog')), el('div', {}, txt('PostHog React')), el('div', {}, txt('Capture event')), el('div', {}, txt('Autocapture buttons')), el('div', {}, txt('Feature ')))
    expect(nameOf(card)).toBe('PostHog')
  })
  it('aria-label and title name an element whose texts do not', () => {
    const a = el('button', { 'aria-label': 'Close dialog' }, el('span', {}, txt('×')))
    expect(nameOf(a)).toBe('Close dialog')
    const t = el('a', { title: 'Product docs' }, ...['One', 'Two', 'Three', 'Four'].map((s) => el('div', {}, txt(s))))
    expect(nameOf(t)).toBe('Product docs')
  })
  it('a short phrase split over inline elements reads as on the page', () => {
    expect(nameOf(el('a', {}, txt('Basket ('), el('span', {}, txt('3')), txt(')')))).toBe('Basket (3)')
    expect(nameOf(el('button', {}, el('svg', {}), el('span', {}, txt('Place order'))))).toBe('Place order')
  })
})
