import { describe, expect, it } from 'vitest'
import { linkToHash } from '../../shared/links'
import { parseRoute } from '../../shared/routes'

describe('deep links', () => {
  it.each([
    ['sightline://session/abc-123?t=5000', '#/session/abc-123?t=5000'],
    ['sightline://session/abc-123', '#/session/abc-123'],
    ['sightline://session/a%2Fb?t=12', '#/session/a%2Fb?t=12'],
    ['sightline://session/x?t=-1', '#/session/x'],
    ['sightline://session/', null],
    ['sightline://clusters', null],
    ['https://evil.test/session/x', null],
    ['not a url', null],
  ])('%s → %s', (link, hash) => expect(linkToHash(link)).toBe(hash))

  it('the renderer route reads what the link produces', () => {
    expect(parseRoute(linkToHash('sightline://session/s%201?t=7000')!)).toEqual({ page: 'session', id: 's 1', t: 7000 })
    expect(parseRoute('#/session/x?t=abc')).toEqual({ page: 'session', id: 'x', t: null })
    expect(parseRoute('#/nowhere')).toEqual({ page: 'library', tab: 'sessions' })
  })
})
