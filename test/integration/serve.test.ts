import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core'
import { serve, type WebServer } from '../../electron/serve'
import { CSP } from '../../shared/csp'
import { tempDir } from '../helpers'

const tmp = tempDir()
let core: Core
let server: WebServer
let root: string

/** Raw HTTP, so the Host header can be anything (fetch would not let a test lie about it). */
function request(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: opts.path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

beforeAll(async () => {
  root = path.join(tmp.dir, 'renderer')
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>')
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'do not serve')
  core = openCore({ db: path.join(tmp.dir, 'serve.db'), transport: 'http', secrets: { get: () => undefined } })
  server = await serve(core, { root })
})
afterAll(async () => {
  await server.close()
  await core.close()
  tmp.cleanup()
})

const auth = () => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' })

describe('web mode server', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token in its fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
    expect(server.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the renderer with the CSP; unknown paths fall back to index.html; no escape from the root', async () => {
    const index = await request({ path: '/' })
    expect(index.status).toBe(200)
    expect(index.headers['content-security-policy']).toBe(CSP)
    expect((await request({ path: '/assets/app.js' })).headers['content-type']).toMatch(/javascript/)
    expect((await request({ path: '/session/abc' })).body).toContain('<title>t</title>')
    const escape = await request({ path: '/../secret.txt' })
    expect(escape.body).not.toContain('do not serve')
    const encoded = await request({ path: '/%2e%2e/secret.txt' })
    expect(encoded.body).not.toContain('do not serve')
  })

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    const r = await request({ path: '/api/app:info', method: 'POST', headers: { ...auth(), host: 'evil.example:80' }, body: '{}' })
    expect(r.status).toBe(403)
    expect((await request({ path: '/', headers: { host: 'attacker.test' } })).status).toBe(403)
  })

  it('requires the token on every API call', async () => {
    expect((await request({ path: '/api/app:info', method: 'POST', body: '{}' })).status).toBe(401)
    expect((await request({ path: '/api/app:info', method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' })).status).toBe(401)
    expect((await request({ path: '/api/events' })).status).toBe(401)
    expect((await request({ path: '/api/upload?name=x', method: 'POST', body: 'x' })).status).toBe(401)
    const ok = await request({ path: '/api/app:info', method: 'POST', headers: auth(), body: '{}' })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, result: { transport: 'http' } })
  })

  it('a tab without the token (a copied link) is let in by the HttpOnly SameSite=Strict cookie the printed URL set; the refusal names what was run', async () => {
    const refused = await request({ path: '/api/app:info', method: 'POST', body: '{}' })
    expect(refused.status).toBe(401)
    const ran = process.env.npm_lifecycle_event
    expect(JSON.parse(refused.body).error.message).toContain(ran ? (ran === 'start' ? '`npm start`' : `\`npm run ${ran}\``) : '`sightline serve`')
    // The first call with the token (the tab that opened the printed URL) sets the cookie.
    const first = await request({ path: '/api/app:info', method: 'POST', headers: auth(), body: '{}' })
    const cookie = String(first.headers['set-cookie'] ?? '')
    expect(cookie).toMatch(new RegExp(`^sightline_token_${server.port}=${server.token}; Path=/; HttpOnly; SameSite=Strict$`))
    const pair = cookie.split(';')[0]!
    // Another tab of the same browser: no Authorization header, just the cookie.
    const other = await request({ path: '/api/app:info', method: 'POST', headers: { cookie: `theme=dark; ${pair}` }, body: '{}' })
    expect(other.status).toBe(200)
    expect(other.headers['set-cookie']).toBeUndefined()
    expect((await request({ path: '/api/app:info', method: 'POST', headers: { cookie: `sightline_token_${server.port}=wrong` }, body: '{}' })).status).toBe(401)
    // Another launch's cookie (another port) does not open this one.
    expect((await request({ path: '/api/app:info', method: 'POST', headers: { cookie: `sightline_token_1=${server.token}x` }, body: '{}' })).status).toBe(401)
  })

  it('maps contract errors to HTTP statuses and rejects bad JSON', async () => {
    expect((await request({ path: '/api/sessions:list', method: 'POST', headers: auth(), body: '{"limit":-1}' })).status).toBe(400)
    expect((await request({ path: '/api/nope', method: 'POST', headers: auth(), body: '{}' })).status).toBe(404)
    expect((await request({ path: '/api/sessions:get', method: 'POST', headers: auth(), body: '{"id":"x"}' })).status).toBe(404)
    const bad = await request({ path: '/api/sessions:list', method: 'POST', headers: auth(), body: '{not json' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/)
  })

  it('accepts an upload and streams job events over SSE', async () => {
    const up = await request({ path: '/api/upload?name=' + encodeURIComponent('../../evil name.json'), method: 'POST', headers: auth(), body: '[1,2,3]' })
    const uploaded = JSON.parse(up.body).result.path as string
    expect(path.basename(uploaded)).toBe('evil name.json')
    expect(fs.readFileSync(uploaded, 'utf8')).toBe('[1,2,3]')

    const events: string[] = []
    const sse = await new Promise<http.IncomingMessage>((resolve) =>
      http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { ...auth(), host: `127.0.0.1:${server.port}` } }, resolve),
    )
    expect(sse.headers['content-type']).toBe('text/event-stream')
    sse.on('data', (c: Buffer) => events.push(c.toString()))
    const started = JSON.parse((await request({ path: '/api/import:files', method: 'POST', headers: auth(), body: JSON.stringify({ paths: [uploaded] }) })).body)
    await core.jobs.wait(started.result.job.id)
    await new Promise((r) => setTimeout(r, 100))
    sse.destroy()
    const text = events.join('')
    expect(text).toContain('event: job')
    expect(text).toContain(started.result.job.id)
    // The uploaded copy is removed once its import has finished.
    expect(fs.existsSync(uploaded)).toBe(false)
  })
})
