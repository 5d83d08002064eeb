// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands
// in on fd 3, answers and events out on fd 4, each a JSON text ended by NUL). The frame source needs
// a dozen commands; playwright-core (the e2e tests' driver) took ~0.7 s to import and ~0.6 s more
// to launch and open a page here, most of a cold clip (bench/clip.ts). No port is opened.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { CLIP_CHROMIUM_ARGS, clipChromiumPath } from './chromium'
import { kill, removeAtExit, removeDir } from './leftovers'

export interface CdpEvent {
  method: string
  params: Record<string, unknown>
  /** The page session it belongs to; none: the browser's. */
  sessionId?: string
}

interface Call {
  method: string
  sessionId?: string
  resolve: (r: unknown) => void
  reject: (e: Error) => void
}

export class Chromium {
  private next = 0
  private readonly calls = new Map<number, Call>()
  private readonly listeners = new Set<(e: CdpEvent) => void>()
  private gone: Error | null = null
  /** Pages that crashed or closed: a later call to one fails at once (it would never be answered). */
  private readonly dead = new Map<string, string>()
  private stderr = ''
  private readonly exited: Promise<void>
  private readonly input: Writable

  private constructor(
    private readonly child: ChildProcess,
    /** Its profile folder, removed when it closes. */
    readonly dataDir: string,
    /** The binary it runs. */
    readonly exe: string,
  ) {
    const output = child.stdio[4] as Readable
    const input = (this.input = child.stdio[3] as Writable)
    let pending: Buffer[] = []
    output.on('data', (d: Buffer) => {
      let at = 0
      for (let end = d.indexOf(0); end >= 0; at = end + 1, end = d.indexOf(0, at)) {
        pending.push(d.subarray(at, end))
        this.dispatch(Buffer.concat(pending).toString('utf8'))
        pending = []
      }
      if (at < d.length) pending.push(d.subarray(at))
    })
    input.on('error', () => {}) // reported as the process's end
    child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)))
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => (this.end(new Error(`Chromium (${exe}) could not start: ${e.message}`)), resolve()))
      child.on('close', (code, signal) => (this.end(new Error(`Chromium exited (${signal ?? `code ${code}`})${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`)), resolve()))
    })
  }

  /** Starts a headless Chromium with a profile folder of its own; resolves once it answers. */
  static async launch(): Promise<Chromium> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-chromium-'))
    removeAtExit(dataDir)
    // No window at start: each frame page opens in a browser context of its own.
    const args = [...CLIP_CHROMIUM_ARGS, '--remote-debugging-pipe', '--no-startup-window', `--user-data-dir=${dataDir}`]
    // A process group of its own: at exit it is killed with its helpers (which otherwise write the
    // profile a moment longer); if this process is killed outright, the pipe closing ends it.
    const exe = clipChromiumPath()
    const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' })
    removeAtExit(dataDir, child)
    const c = new Chromium(child, dataDir, exe)
    try {
      await c.send('Browser.getVersion')
    } catch (e) {
      await c.close()
      throw e
    }
    return c
  }

  /** The browser's process id (tests). */
  get pid(): number | undefined {
    return this.child.pid
  }

  get connected(): boolean {
    return this.gone === null
  }

  /** One command, to the browser or (with sessionId) to a page; rejects with Chromium's error. */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    if (this.gone) return Promise.reject(new Error(`${method}: ${this.gone.message}`))
    const dead = sessionId && this.dead.get(sessionId)
    if (dead) return Promise.reject(new Error(`${method}: ${dead}`))
    const id = ++this.next
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { method, sessionId, resolve: resolve as (r: unknown) => void, reject })
      this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0')
    })
  }

  /** Every event, until the returned function is called. */
  on(fn: (e: CdpEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Closes the browser (killed if it does not go within 3 s) and removes its profile folder. */
  async close(): Promise<void> {
    if (!this.gone) {
      const timer = setTimeout(() => kill(this.child), 3000)
      await this.send('Browser.close').catch(() => {})
      await this.exited
      clearTimeout(timer)
    } else if (this.child.exitCode === null && this.child.signalCode === null) {
      kill(this.child)
      await this.exited
    }
    removeDir(this.dataDir)
  }

  private dispatch(text: string): void {
    let m: { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string }
    try {
      m = JSON.parse(text) as typeof m
    } catch {
      return // not a message of the protocol; nothing waits on it
    }
    if (m.id !== undefined) {
      const call = this.calls.get(m.id)
      this.calls.delete(m.id)
      if (m.error) call?.reject(new Error(`${call.method}: ${m.error.message}`))
      else call?.resolve(m.result ?? {})
      return
    }
    if (!m.method) return
    // A page that closed or crashed answers nothing more: its calls fail now, not never.
    const crashed = m.method === 'Inspector.targetCrashed'
    const session = crashed ? m.sessionId : m.method === 'Target.detachedFromTarget' ? (m.params?.sessionId as string | undefined) : undefined
    if (session) {
      // The first reason stays: a crashed page is detached after.
      if (!this.dead.has(session)) this.dead.set(session, crashed ? 'the page crashed' : 'the page closed')
      this.fail((c) => c.sessionId === session, new Error(this.dead.get(session)))
    }
    for (const fn of this.listeners) fn({ method: m.method, params: m.params ?? {}, sessionId: m.sessionId })
  }

  private fail(which: (c: Call) => boolean, e: Error): void {
    for (const [id, c] of this.calls) {
      if (!which(c)) continue
      this.calls.delete(id)
      c.reject(new Error(`${c.method}: ${e.message}`))
    }
  }

  private end(e: Error): void {
    this.gone ??= e
    this.fail(() => true, this.gone)
  }
}
