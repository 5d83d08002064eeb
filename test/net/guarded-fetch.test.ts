// The one guarded fetch: redirects followed by hand with every hop checked, credentials kept to
// their origin, *.localhost connected to 127.0.0.1 without DNS. Real servers on 127.0.0.1.
import dns from 'node:dns'
import type http from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { guardedFetch, MAX_REDIRECTS, NetworkGuard, OfflineError } from '../../electron/net'
import { closeLocal, listenLocal } from '../fakes/http'

interface Seen {
  method: string
  path: string
  host: string
  authorization: string | undefined
  body: string
}
const seen: Seen[] = []
let server: http.Server
let base = ''
let port = 0

beforeAll(async () => {
  ;({ server, url: base } = await listenLocal(
    async (req, res) => {
      let body = ''
      for await (const c of req) body += String(c)
      seen.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', authorization: req.headers.authorization, body })
      const to = /^\/to\/(\d{3})\/(.+)$/.exec(req.url ?? '')
      if (to) {
        res.writeHead(Number(to[1]), { location: decodeURIComponent(to[2]!) })
        return void res.end()
      }
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' })
        return void res.end()
      }
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(`ok ${req.method} ${req.url}`)
    },
    (res, m) => res.writeHead(599).end(m),
  ))
  port = Number(new URL(base).port)
})
afterAll(() => closeLocal(server))

const offline = { offline: true }
const redirectTo = (status: number, location: string) => `${base}/to/${status}/${encodeURIComponent(location)}`

describe('guardedFetch', () => {
  it('refuses a redirect off loopback in offline mode, naming both hosts, before any socket to it', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect')
    const lookup = vi.spyOn(dns, 'lookup')
    try {
      for (const [status, to] of [
        [307, 'http://203.0.113.5/v1/chat/completions'],
        [302, 'http://example.com/steal'],
        [308, 'https://[2001:db8::1]/'],
      ] as const) {
        const e = (await guardedFetch(offline, redirectTo(status, to), { method: 'POST', body: '{"prompt":"secret"}' }).catch((x: unknown) => x)) as OfflineError
        expect(e).toBeInstanceOf(OfflineError)
        expect(e.message).toContain(`127.0.0.1:${port} redirected to ${new URL(to).host}`)
        expect(e.message).toMatch(/not followed/)
      }
      // (undici passes net's normalized [options, callback] pair)
      const hosts = connect.mock.calls.map((c) => ((Array.isArray(c[0]) ? c[0][0] : c[0]) as { host?: string }).host)
      expect(hosts.length).toBeGreaterThan(0)
      expect(hosts.filter((h) => h !== '127.0.0.1')).toEqual([])
      expect(lookup.mock.calls.map((c) => c[0])).toEqual([])
    } finally {
      connect.mockRestore()
      lookup.mockRestore()
    }
  })

  it('follows loopback redirects: 307/308 keep method and body, 303 and a POST after 302 become GET', async () => {
    seen.length = 0
    const r = await guardedFetch(offline, redirectTo(307, '/echo'), { method: 'POST', body: 'payload' })
    expect(await r.text()).toBe('ok POST /echo')
    expect(seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', 'payload'],
      ['POST', 'payload'],
    ])
    seen.length = 0
    expect(await (await guardedFetch(offline, redirectTo(303, '/a'), { method: 'POST', body: 'x' })).text()).toBe('ok GET /a')
    expect(await (await guardedFetch(offline, redirectTo(302, '/b'), { method: 'POST', body: 'x' })).text()).toBe('ok GET /b')
    expect(seen.filter((s) => s.method === 'GET').map((s) => s.body)).toEqual(['', ''])
  })

  it("ignores redirect: 'manual' (no caller gets an unchecked hop), honours 'error', stops a loop", async () => {
    const r = await guardedFetch(offline, redirectTo(302, '/after'), { redirect: 'manual' })
    expect([r.status, await r.text()]).toEqual([200, 'ok GET /after'])
    await expect(guardedFetch(offline, redirectTo(302, '/after'), { redirect: 'error' })).rejects.toThrow(/redirects were not allowed/)
    await expect(guardedFetch(offline, `${base}/loop`)).rejects.toThrow(new RegExp(`redirected more than ${MAX_REDIRECTS} times`))
  })

  it('keeps credentials to their origin: a hop to another origin loses Authorization', async () => {
    seen.length = 0
    const other = `http://localhost:${port}/landed`
    await guardedFetch(offline, redirectTo(307, other), { headers: { authorization: 'Bearer k' } })
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer k', undefined])
    seen.length = 0
    await guardedFetch(offline, redirectTo(307, '/same'), { headers: { authorization: 'Bearer k' } })
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer k', 'Bearer k'])
  })

  it('connects *.localhost to 127.0.0.1 without asking DNS (also after a redirect); refuses it over https', async () => {
    const lookup = vi.spyOn(dns, 'lookup')
    try {
      seen.length = 0
      const r = await guardedFetch(offline, `http://model.localhost:${port}/v1/models`)
      expect(await r.text()).toBe('ok GET /v1/models')
      await guardedFetch(offline, redirectTo(302, `http://api.sightline.localhost:${port}/hop`))
      expect(seen.map((s) => s.host)).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `127.0.0.1:${port}`])
      expect(lookup).not.toHaveBeenCalled()
      await expect(guardedFetch(offline, `https://model.localhost:${port}/`)).rejects.toThrow(/certificate cannot match/)
    } finally {
      lookup.mockRestore()
    }
  })

  it('NetworkGuard: check before any socket, isCloud, and its fetch is guardedFetch', async () => {
    const g = new NetworkGuard(true, ['do this'])
    expect(() => g.check('https://api.openai.com/v1')).toThrow(OfflineError)
    for (const h of ['http://localhost:1/', 'http://127.0.0.1:1/', 'http://[::1]:1/', 'http://127.1.2.3/', 'http://a.b.localhost/']) expect(() => g.check(h)).not.toThrow()
    expect(g.isCloud('http://x.localhost:1')).toBe(false)
    expect(g.isCloud('http://localhost.example.com')).toBe(true)
    const e = (await g.fetch(redirectTo(302, 'http://203.0.113.5/')).catch((x: unknown) => x)) as OfflineError
    expect(e.actions).toEqual(['do this'])
    expect(() => new NetworkGuard(false).check('https://api.openai.com/v1')).not.toThrow()
  })
})
