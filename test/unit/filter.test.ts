import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../electron/import'
import { parseFilter } from '../../electron/sessions/filter'
import { openStore, type Store } from '../../electron/store'
import { UserError } from '../../electron/errors'
import { sharedSamples, tempDir } from '../helpers'

describe('filter parser', () => {
  it('parses predicates, precedence and where clauses', () => {
    expect(parseFilter('did $rageclick')).toEqual({ kind: 'did', event: '$rageclick', where: [] })
    expect(parseFilter('duration > 1.5m')).toEqual({ kind: 'measure', measure: 'duration', op: '>', value: 90_000 })
    expect(parseFilter('active <= 500ms')).toEqual({ kind: 'measure', measure: 'active', op: '<=', value: 500 })
    expect(parseFilter('not did purchase')).toEqual({ kind: 'not', item: { kind: 'did', event: 'purchase', where: [] } })
    // and binds tighter than or
    expect(parseFilter('did a or did b and did c')).toEqual({
      kind: 'or',
      items: [{ kind: 'did', event: 'a', where: [] }, { kind: 'and', items: [{ kind: 'did', event: 'b', where: [] }, { kind: 'did', event: 'c', where: [] }] }],
    })
    // a where clause takes "and PROP OP VALUE"; another predicate after 'and' ends it
    expect(parseFilter('did $pageview where url contains "check out" and status >= 400 and errors > 2')).toEqual({
      kind: 'and',
      items: [
        { kind: 'did', event: '$pageview', where: [{ property: 'url', op: 'contains', value: 'check out' }, { property: 'status', op: '>=', value: 400 }] },
        { kind: 'measure', measure: 'errors', op: '>', value: 2 },
      ],
    })
    expect(parseFilter('error within 5 after click where text = "Place order"')).toEqual({
      kind: 'error_after', event: 'click', within_ms: 5_000, where: [{ property: 'text', op: '=', value: 'Place order' }],
    })
    expect(parseFilter('(visited /cart or visited "/check out") and not (events < 3)')).toMatchObject({ kind: 'and' })
  })

  it.each([
    ['', /empty/],
    ['did', /event name/],
    ['duration > soon', /column 12: expected a duration/],
    ['errors > many', /expected a number/],
    ['did x where url ~ y', /expected an operator/],
    ['(did x', /expected '\)'/],
    ['did x did y', /unexpected "did"/],
    ['visited "unterminated', /unclosed "/],
    ['frobnicate', /expected did, error, duration/],
  ])('%j is a clear error', (src, message) => {
    expect(() => parseFilter(src)).toThrow(UserError)
    expect(() => parseFilter(src)).toThrow(message)
  })
})

describe('filters on the shared samples', () => {
  let store: Store
  const tmp = tempDir()
  beforeAll(async () => {
    store = openStore(path.join(tmp.dir, 'f.db'))
    const dir = path.join(sharedSamples, 'sessions')
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.posthog-events.jsonl')).map((f) => path.join(dir, f))
    const results = await importFiles(store, files)
    expect(results.every((r) => r.error === null)).toBe(true)
  })
  afterAll(() => {
    store.close()
    tmp.cleanup()
  })

  const ids = (expr: string) => store.sessions.list({ filter: parseFilter(expr), sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows.map((r) => r.id)
  // Each posthog-events file is one session; find them by what the README says they contain.
  const all = () => store.sessions.list({ sort: 'start_ms', dir: 'asc', limit: 100, offset: 0 }).rows.map((r) => r.id)
  const bySample = (name: string) => {
    const line = fs.readFileSync(path.join(sharedSamples, 'sessions', `${name}.posthog-events.jsonl`), 'utf8').split('\n')[0]!
    return (JSON.parse(line).properties as { $session_id: string }).$session_id
  }
  const S = {
    happy: bySample('S1-happy-browse-and-buy'),
    rage: bySample('S2-checkout-typeerror-rage-leave'),
    search500: bySample('S3-search-500-spa'),
    tabs: bySample('S4-two-tabs'),
    pii: bySample('S5-pii-order-refund-chat'),
    noise: bySample('S6-thirdparty-widget-errors-purchase-ok'),
  }

  it('did / not did', () => {
    expect(all()).toHaveLength(6)
    expect(ids('did $rageclick')).toEqual([S.rage])
    expect(ids('not did $rageclick')).toHaveLength(5)
    expect(ids('not did $rageclick')).not.toContain(S.rage)
  })

  it('an error right after an action: the failing Place order, and an HTTP 500 after a search', () => {
    expect(ids('error within 3s after $autocapture where text contains "place order"')).toEqual([S.rage])
    expect(ids('error within 5s after $autocapture where text = "nonexistent button"')).toEqual([])
    expect(ids('did network where status >= 500').concat(ids('did $pageview where url contains search'))).toContain(S.search500)
  })

  it('measures and visited URLs combine', () => {
    const long = ids('duration > 60s')
    for (const id of long) expect(store.sessions.get(id)!.duration_ms).toBeGreaterThan(60_000)
    expect(ids('visited /support/search and errors > 0')).toEqual(expect.arrayContaining([S.search500]))
    expect(ids('visited /account/refund')).toEqual([S.pii])
    expect(ids('did $exception and not did $rageclick')).toEqual(expect.arrayContaining([S.noise]))
    expect(ids('(did $rageclick or visited /account/refund) and events > 0')).toEqual(expect.arrayContaining([S.rage, S.pii]))
    expect(ids('(did $rageclick or visited /account/refund) and events > 0')).toHaveLength(2)
  })
})
