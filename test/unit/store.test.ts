import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LATEST_VERSION } from '../../electron/store/migrations'
import { DbFromFutureError, openStore } from '../../electron/store'
import { readSettings, writeSettings, DEFAULT_SETTINGS } from '../../electron/settings'
import { tempDir } from '../helpers'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => (tmp = tempDir()))
afterEach(() => tmp.cleanup())

describe('store', () => {
  it('creates the schema at the latest version, with WAL and foreign keys on', () => {
    const store = openStore(path.join(tmp.dir, 'a', 'nested', 'x.db'))
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (r as { name: string }).name)
    expect(tables).toEqual(expect.arrayContaining(['sources', 'sessions', 'traces', 'jobs', 'settings']))
    store.close()
  })

  it('reopening applies nothing twice', () => {
    const file = path.join(tmp.dir, 'y.db')
    openStore(file).close()
    const again = openStore(file)
    expect(again.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    again.close()
  })

  it('refuses a database written by a newer build, and leaves it untouched', () => {
    const file = path.join(tmp.dir, 'future.db')
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 10}`)
    raw.close()
    expect(() => openStore(file)).toThrow(DbFromFutureError)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 10)
    check.close()
  })

  it('lists sessions with search, sort and paging; search treats % and _ literally', () => {
    const store = openStore(path.join(tmp.dir, 's.db'))
    const put = store.db.prepare('INSERT INTO sessions (id, start_ms, end_ms, first_url, events) VALUES (?, ?, ?, ?, ?)')
    put.run('a', 1000, 5000, 'https://shop.test/cart', 3)
    put.run('b', 2000, 3000, 'https://shop.test/100%_off', 9)
    put.run('c', 3000, 9000, 'https://docs.test/', 1)
    const byStart = store.sessions.list({ sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 })
    expect(byStart.rows.map((r) => r.id)).toEqual(['c', 'b', 'a'])
    expect(byStart.rows[0]!.duration_ms).toBe(6000)
    expect(store.sessions.list({ sort: 'duration_ms', dir: 'asc', limit: 10, offset: 0 }).rows.map((r) => r.id)).toEqual(['b', 'a', 'c'])
    expect(store.sessions.list({ q: 'shop', sort: 'events', dir: 'desc', limit: 1, offset: 1 })).toMatchObject({ total: 2, rows: [{ id: 'a' }] })
    expect(store.sessions.list({ q: '%_', sort: 'start_ms', dir: 'desc', limit: 10, offset: 0 }).rows.map((r) => r.id)).toEqual(['b'])
    store.close()
  })

  it('settings: defaults until written, offline on by default, unknown keys ignored', () => {
    const store = openStore(path.join(tmp.dir, 'set.db'))
    expect(readSettings(store)).toEqual(DEFAULT_SETTINGS)
    expect(DEFAULT_SETTINGS.offline).toBe(true)
    const next = writeSettings(store, { provider: 'openai', base_url: 'http://127.0.0.1:11434/v1' })
    expect(next).toMatchObject({ provider: 'openai', base_url: 'http://127.0.0.1:11434/v1', offline: true })
    store.settings.set({ bogus: 1, theme: 42 })
    expect(readSettings(store).theme).toBe('system')
    store.close()
  })
})
