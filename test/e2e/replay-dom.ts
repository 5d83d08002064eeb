/// <reference lib="dom" />
// The replay tests' reference: in the app's own page, a fresh rrweb Replayer given the whole
// recording of a window, paused at t, serialised the same way as the player's frame.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { replayChunks, replayMeta } from '../../electron/replay'
import type { Store } from '../../electron/store'
import { REPLAYER_OPTIONS } from '../../shared/replay-engine'

const require = createRequire(import.meta.url)
const rrwebUmd = fs.readFileSync(require.resolve('rrweb').replace(/rrweb\.c?js$/, 'rrweb.umd.cjs'), 'utf8')

/** Every stored event of one window, as the import kept them. */
export function windowEvents(store: Store, sessionId: string, windowId: string): unknown[] {
  const w = replayMeta(store, sessionId).windows.find((x) => x.window_id === windowId)
  if (!w) throw new Error(`session ${sessionId} has no window ${windowId}`)
  return replayChunks(store, sessionId, windowId, w.chunks.map((c) => c.seq)).flatMap((c) => c.events)
}

/**
 * A document as text: every node, and what markup does not show but the replayer sets — form
 * values, scroll offsets, CSSOM rules. rrweb keeps its node ids in a map, not in the DOM, so no id
 * needs normalising. Normalised, because they mean nothing to what is shown: the order of
 * attributes and of class names (rrweb adds its simulated ":hover" class whenever the mouse moves,
 * before or after the page sets other attributes), and an empty class attribute (what removing
 * ":hover" leaves behind on an element that had no class).
 */
const serialize = (doc: Document): string => {
  const out: string[] = []
  const walk = (n: Node, depth: number): void => {
    const pad = ' '.repeat(depth)
    if (n.nodeType === 1) {
      const el = n as Element
      const attrs = Array.from(el.attributes)
        .map((a) => (a.name === 'class' ? ['class', a.value.split(/\s+/).filter(Boolean).sort().join(' ')] : [a.name, a.value]))
        .filter(([k, v]) => !(k === 'class' && v === ''))
        .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
        .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
        .join('')
      const f = el as HTMLInputElement
      const state = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) ? ` (value=${JSON.stringify(f.value)} checked=${f.checked})` : ''
      const scroll = el.scrollTop || el.scrollLeft ? ` (scroll=${el.scrollLeft},${el.scrollTop})` : ''
      out.push(`${pad}<${el.tagName.toLowerCase()}${attrs}>${state}${scroll}`)
    } else if (n.nodeType === 3) out.push(`${pad}${JSON.stringify(n.textContent)}`)
    else if (n.nodeType === 8) out.push(`${pad}<!--${n.textContent}-->`)
    else if (n.nodeType === 10) out.push(`${pad}<!doctype ${(n as DocumentType).name}>`)
    n.childNodes.forEach((c) => walk(c, depth + 1))
  }
  walk(doc, 0)
  const w = doc.defaultView
  if (w && (w.scrollX || w.scrollY)) out.push(`window scroll=${w.scrollX},${w.scrollY}`)
  for (const sheet of Array.from(doc.styleSheets)) {
    try {
      out.push(Array.from(sheet.cssRules, (r) => r.cssText).join('\n'))
    } catch {
      out.push('(unreadable sheet)')
    }
  }
  return out.join('\n')
}

/** The frame the player shows now (of a session with several windows: the shown one's; a selector
 * list would give the first iframe in document order, whichever window it is). */
export async function playerDom(page: Page): Promise<string> {
  return page.evaluate(`(${serializeIn.toString()})(document.querySelector('[data-testid="replay-mount"] [data-shown] iframe') ?? document.querySelector('[data-testid="replay-mount"] iframe'), ${serialize.toString()})`) as Promise<string>
}

function serializeIn(iframe: HTMLIFrameElement | null, ser: (d: Document) => string): string {
  if (!iframe?.contentDocument) return '(no replay frame)'
  return ser(iframe.contentDocument)
}

/** What a fresh Replayer of `events` shows paused at `t` (epoch ms). */
export async function referenceDom(page: Page, events: unknown[], t: number): Promise<string> {
  if (!(await page.evaluate('typeof window.rrweb === "object"'))) await page.evaluate(rrwebUmd)
  return page.evaluate(
    `(async ({ events, t, options }) => {
      const ser = ${serialize.toString()}
      const root = document.createElement('div')
      root.style.cssText = 'position:fixed;left:-20000px;top:0;width:1px;height:1px;overflow:hidden'
      document.body.appendChild(root)
      const r = new window.rrweb.Replayer(events, { ...options, root })
      try {
        r.pause(Math.max(0, t - r.getMetaData().startTime))
        return ser(r.iframe.contentDocument)
      } finally {
        r.destroy()
        root.remove()
      }
    })(${JSON.stringify({ events, t, options: REPLAYER_OPTIONS })})`,
  ) as Promise<string>
}

/** First differing line of two serialisations, for a readable failure. */
export function firstDifference(a: string, b: string): string {
  const x = a.split('\n')
  const y = b.split('\n')
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `at line ${i}: player ${JSON.stringify(x[i]?.slice(0, 200))} vs reference ${JSON.stringify(y[i]?.slice(0, 200))}`
  return 'identical'
}
