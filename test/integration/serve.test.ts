import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core'
import { serve, type WebServer } from '../../electron/serve'
import { CSP } from '../../shared/csp'
import { until } from '../fakes/until'
import { tempDir } from '../helpers'

const tmp = tempDir()
let core: Core
let server: WebServer
let root: string
let uploadsDir: string
const MAX_UPLOAD = 256 * 1024

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
  uploadsDir = path.join(tmp.dir, 'data', 'uploads')
  // Left behind by a server that died (no such process) and by one still running (this test's parent).
  fs.mkdirSync(path.join(uploadsDir, 'serve-999999999-dead', 'f-1'), { recursive: true })
  fs.writeFileSync(path.join(uploadsDir, 'serve-999999999-dead', 'f-1', 'half.json'), '[1,')
  fs.mkdirSync(path.join(uploadsDir, `serve-${process.ppid}-live`), { recursive: true })
  server = await serve(core, { root, uploadsDir, maxUploadBytes: MAX_UPLOAD })
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
    await until('the finished job on the event stream', () => events.join('').includes(started.result.job.id) && events.join('').includes('"state":"done"'))
    sse.destroy()
    const text = events.join('')
    expect(text).toContain('event: job')
    // The uploaded copy is removed once its import has finished.
    expect(fs.existsSync(uploaded)).toBe(false)
  })

  it('refuses a state-changing request from a foreign Origin even with a valid token', async () => {
    const list = (origin?: Record<string, string>) => request({ path: '/api/sessions:list', method: 'POST', headers: { ...auth(), ...origin }, body: '{}' })
    expect((await list({ origin: 'http://evil.example' })).status).toBe(403)
    expect((await list({ origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403)
    expect((await list({ origin: 'null' })).status).toBe(403)
    expect((await list({ 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    const up = await request({ path: '/api/upload?name=x.json', method: 'POST', headers: { ...auth(), origin: 'http://evil.example' }, body: '[]' })
    expect(up.status).toBe(403)
    expect((await list({ origin: `http://127.0.0.1:${server.port}` })).status).toBe(200)
    expect((await list({ origin: `http://localhost:${server.port}` })).status).toBe(200)
    expect((await list()).status).toBe(200)
  })

  it('caps JSON bodies at 1 MB (413), declared or streamed', async () => {
    const big = JSON.stringify({ q: 'x'.repeat(1 << 20) })
    const declared = await raw(`POST /api/sessions:list HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n`)
    expect(declared).toMatch(/^HTTP\/1\.1 413 /)
    const chunked = await raw(
      `POST /api/sessions:list HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
    )
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /)
    expect(chunked).toMatch(/Request body over 1048576 bytes/)
  })
})

/** Sends bytes as they are (no client normalises the path) and returns everything the server answers. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1', () => sock.write(text))
    let out = ''
    sock.on('data', (d: Buffer) => (out += d.toString('latin1')))
    sock.on('error', (e) => (out ? resolve(out) : reject(e)))
    sock.on('close', () => resolve(out))
  })
}

describe('web mode: paths sent raw', () => {
  // The secret sits beside the renderer folder, one level up.
  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/assets/app.js%00.html',
  ])('GET %s is refused and never serves the file', async (target) => {
    const res = await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`)
    expect(res).not.toContain('do not serve')
    // `%252e` decodes once to a literal `%2e` name: not a traversal, just a missing file (the app shell).
    if (target.includes('%25')) expect(res).toMatch(/^HTTP\/1\.1 200 /)
    else expect(res).toMatch(/^HTTP\/1\.1 (400|403) /)
  })
})

describe('web mode uploads', () => {
  const uploadFolders = () => fs.readdirSync(path.join(uploadsDir)).flatMap((d) => (fs.statSync(path.join(uploadsDir, d)).isDirectory() ? fs.readdirSync(path.join(uploadsDir, d)).map((f) => path.join(d, f)) : []))

  it("live in the given data folder; a dead server's leftovers are deleted at start, a running one's kept", async () => {
    const up = await request({ path: '/api/upload?name=a.json', method: 'POST', headers: auth(), body: '[]' })
    expect(JSON.parse(up.body).result.path.startsWith(uploadsDir + path.sep)).toBe(true)
    expect(fs.existsSync(path.join(uploadsDir, 'serve-999999999-dead'))).toBe(false)
    expect(fs.existsSync(path.join(uploadsDir, `serve-${process.ppid}-live`))).toBe(true)
  })

  it('default to the app data folder, not the system temp folder', async () => {
    const xdg = path.join(tmp.dir, 'xdg')
    const saved = process.env.XDG_DATA_HOME
    process.env.XDG_DATA_HOME = xdg
    try {
      const other = await serve(core, { root })
      const r = await fetch(`http://127.0.0.1:${other.port}/api/upload?name=b.json`, { method: 'POST', headers: { authorization: `Bearer ${other.token}` }, body: '[]' })
      const p = ((await r.json()) as { result: { path: string } }).result.path
      expect(p.startsWith(path.join(xdg, 'Sightline', 'uploads') + path.sep)).toBe(true)
      await other.close()
      expect(fs.existsSync(p)).toBe(false)
    } finally {
      if (saved === undefined) delete process.env.XDG_DATA_HOME
      else process.env.XDG_DATA_HOME = saved
    }
  })

  it('a cancelled import removes its uploaded copy too', async () => {
    const up = await request({ path: '/api/upload?name=cancelled.json', method: 'POST', headers: auth(), body: '[]' })
    const uploaded = JSON.parse(up.body).result.path as string
    const started = JSON.parse((await request({ path: '/api/import:files', method: 'POST', headers: auth(), body: JSON.stringify({ paths: [uploaded] }) })).body)
    // Cancelled before its worker has started: the job ends with no result.
    core.jobs.cancel(started.result.job.id)
    const done = await core.jobs.wait(started.result.job.id)
    expect(done).toMatchObject({ state: 'cancelled', result: null })
    await until('the uploaded copy removed', () => !fs.existsSync(uploaded))
  })

  it('over the cap: 413, declared or streamed, and nothing kept', async () => {
    const before = uploadFolders()
    const declared = await raw(`POST /api/upload?name=big.json HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: ${MAX_UPLOAD + 1}\r\nConnection: close\r\n\r\n`)
    expect(declared).toMatch(/^HTTP\/1\.1 413 /)
    const body = 'x'.repeat(MAX_UPLOAD + 1)
    const streamed = await raw(
      `POST /api/upload?name=big2.json HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    )
    expect(streamed).toMatch(/^HTTP\/1\.1 413 /)
    expect(uploadFolders()).toEqual(before)
  })

  it('cut off by the client: the partial copy is deleted', async () => {
    const before = uploadFolders()
    const sock = net.connect(server.port, '127.0.0.1')
    await new Promise<void>((r) => sock.once('connect', () => r()))
    sock.write(`POST /api/upload?name=cut.json HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 100000\r\n\r\n` + '['.repeat(5000))
    await until('the partial upload on disk', () => uploadFolders().some((f) => !before.includes(f)))
    sock.destroy()
    await until('the partial upload deleted', () => uploadFolders().length === before.length)
    expect(uploadFolders()).toEqual(before)
  })
})
