// The second core: for a big JSON document the elements of its streamed arrays are parsed,
// normalised and hashed (the costliest per-event work) in a worker thread (stage-worker.ts) while
// this thread reads, splits, builds and writes SQLite. Element bytes go over in batches of ~2 MB
// (transferred, not copied; they come back with the results). The results are used here in file
// order, as if computed here: every element the worker did not do (other kinds, compressed or
// skipped events, errors) is parsed and collected here as without the worker, so errors, places,
// skip counts and the decompression budget are exactly those of the one-thread path. A worker that
// cannot start or dies is a WorkerFailed: the file is read again in this thread.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Collector } from './collect'
import { parseElement } from './json-splitter'
import type { BuildItem } from './window-builder'

/** Files smaller than this are not worth a worker (it takes ~0.1–0.3 s to start). */
export const PARALLEL_MIN_BYTES = 16 * 2 ** 20
const BATCH_BYTES = 2 * 2 ** 20
/** Batches sent and not used yet: enough to keep the worker busy, few enough to bound memory. */
const MAX_INFLIGHT = 3

/** The worker could not do its part (not the file's fault): read the file again in this thread. */
export class WorkerFailed extends Error {}

export interface StageIn {
  buf: ArrayBuffer
  n: number
  /** End of each element in buf. */
  ends: Float64Array
  /** 1: the element's text may be kept as is (json-splitter.ts `plain`). */
  plain: Uint8Array
  hintOf: Uint32Array
  hints: (string | undefined)[]
}

export interface StageOut {
  buf: ArrayBuffer
  /** 0: not done (handled here); 1: rrweb event; 2: `[windowId, event]`. */
  kind: Uint8Array
  ts: Float64Array
  type: Float64Array
  /** NaN: null. */
  source: Float64Array
  hash: BigInt64Array
  /** The stored JSON of the events done, back to back (UTF-8); event i's ends at jsonEnd[i]. */
  json: ArrayBuffer
  jsonEnd: Float64Array
  /** The batch's window ids; event i's is wids[widOf[i]]. */
  wids: string[]
  widOf: Uint32Array
}

/** From source: stage-worker.ts and what it imports, bundled once by esbuild (tsx's own). */
let sourceBundle: string | null = null

function startWorker(): Worker {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    // From source (tsx, tests): a plain script, so the worker needs no TypeScript loader (tsx in a
    // worker costs ~60 MB and a loader thread of its own).
    if (sourceBundle === null) {
      const esbuild = createRequire(createRequire(here).resolve('tsx/package.json'))('esbuild') as {
        buildSync(o: Record<string, unknown>): { outputFiles: { text: string }[] }
      }
      const entry = fileURLToPath(new URL('./stage-worker.ts', here))
      sourceBundle = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' }).outputFiles[0]!.text
    }
    return new Worker(sourceBundle, { eval: true, execArgv: [], ...lim() })
  }
  // Bundled: stage-worker.js next to main.js and worker.js; this module may sit in a chunk below them.
  const dir = path.dirname(fileURLToPath(here))
  const found = [dir, path.dirname(dir)].map((d) => path.join(d, 'stage-worker.js')).find((f) => fs.existsSync(f))
  if (!found) throw new WorkerFailed('stage-worker.js not found')
  return new Worker(found, lim())
}
/**
 * The worker's garbage is short-lived (a batch's parsed events): a small young generation keeps
 * its heap (and the import's peak RSS) ~30 MB smaller for little CPU, and this thread is the
 * slower one anyway.
 */
const lim = () => ({ resourceLimits: { maxYoungGenerationSizeMb: 4 } })

interface Batch {
  n: number
  /** Per element: start, end (bytes in the document), array index. */
  meta: number[]
  labels: string[]
  labelOf: number[]
  hints: (string | undefined)[]
  ends: Float64Array
  plain: Uint8Array
  out: Promise<StageOut>
  /** Runs after the batch, in order (e.g. the export's session id taking effect). */
  after: (() => void)[]
}

export class RemoteStage {
  private readonly worker: Worker
  private readonly sent: Batch[] = []
  private readonly waiting: { resolve(o: StageOut): void; reject(e: Error): void }[] = []
  private failed: Error | null = null
  /** An element could not be collected (its error is the import's). */
  private broken: Error | null = null
  private closed = false
  // The batch being filled.
  private buf: Buffer = Buffer.allocUnsafeSlow(BATCH_BYTES)
  /** Batch buffers back from the worker, used again: garbage ArrayBuffers are freed only by a full GC. */
  private readonly spare: Buffer[] = []
  private used = 0
  private ends: number[] = []
  private plain: number[] = []
  private meta: number[] = []
  private labels: string[] = []
  private labelOf: number[] = []
  private hints: (string | undefined)[] = []
  private lastPath: unknown = null

  constructor(private readonly c: Collector) {
    this.worker = startWorker()
    this.worker.on('message', (m: StageOut) => this.waiting.shift()?.resolve(m))
    this.worker.on('error', (e) => this.fail(new WorkerFailed(`import worker failed: ${e.message}`)))
    this.worker.on('exit', (code) => this.fail(new WorkerFailed(`import worker exited (${code})`)))
  }

  private fail(e: Error): void {
    this.failed ??= e
    for (const w of this.waiting.splice(0)) w.reject(this.failed)
  }

  /** One element of a streamed array: `buf[from, to)`, at bytes [start, end) of the document. */
  add(buf: Buffer, from: number, to: number, path: string[], index: number, start: number, end: number, plain: boolean, hint: () => string | undefined): void {
    const size = to - from
    if (this.used + size > this.buf.length) {
      this.send()
      if (size > this.buf.length) this.buf = Buffer.allocUnsafeSlow(size)
    }
    buf.copy(this.buf, this.used, from, to)
    this.used += size
    this.ends.push(this.used)
    this.plain.push(plain ? 1 : 0)
    if (path !== this.lastPath) {
      this.lastPath = path
      this.labels.push(path.length ? path.join('.') : 'item')
      this.hints.push(hint())
    }
    this.labelOf.push(this.labels.length - 1)
    this.meta.push(start, end, index)
    if (this.used >= BATCH_BYTES) this.send()
  }

  /** The skeleton changed: window hints may differ from here on. */
  skeletonChanged(): void {
    this.lastPath = null
  }

  /** Runs `fn` once every element added so far has been collected. */
  after(fn: () => void): void {
    this.send()
    const last = this.sent.at(-1)
    if (last) last.after.push(fn)
    else fn()
  }

  private send(): void {
    if (this.ends.length === 0) return
    const ab = this.buf.buffer as ArrayBuffer
    const ends = Float64Array.from(this.ends)
    const plain = Uint8Array.from(this.plain)
    // Uint32: a batch can hold more arrays (windows) than 65535.
    const hintOf = Uint32Array.from(this.labelOf)
    const batch: Batch = {
      n: this.ends.length,
      meta: this.meta,
      labels: this.labels,
      labelOf: this.labelOf,
      hints: this.hints,
      ends,
      plain,
      after: [],
      out: new Promise<StageOut>((resolve, reject) => this.waiting.push({ resolve, reject })),
    }
    batch.out.catch(() => {}) // awaited in order by take()
    if (this.failed) this.waiting.shift()?.reject(this.failed)
    else {
      const msg: StageIn = { buf: ab, n: batch.n, ends, plain, hintOf, hints: this.hints }
      this.worker.postMessage(msg, [ab, hintOf.buffer as ArrayBuffer]) // ends: copied, used here again
    }
    this.sent.push(batch)
    this.buf = this.spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES)
    this.used = 0
    this.ends = []
    this.plain = []
    this.meta = []
    this.labels = []
    this.labelOf = []
    this.hints = []
    this.lastPath = null
  }

  busy(): boolean {
    return this.sent.length >= MAX_INFLIGHT
  }

  /** Collects finished batches in order until at most `max` are outstanding. */
  async take(max = MAX_INFLIGHT - 1): Promise<void> {
    while (this.sent.length > max) {
      if (this.broken) throw this.broken
      const b = this.sent[0]!
      const out = await b.out
      if (this.sent[0] !== b) continue // another take() got it
      this.sent.shift()
      try {
        this.collect(b, out)
        if (out.buf.byteLength === BATCH_BYTES && this.spare.length < MAX_INFLIGHT) this.spare.push(Buffer.from(out.buf))
        for (const fn of b.after) fn()
      } catch (e) {
        // The first error in file order: nothing after it is collected any more.
        this.broken = e as Error
        throw e
      }
      if (this.c.busyBuilding()) await this.c.drainBuilding()
    }
    if (this.broken) throw this.broken
  }

  /** Everything added so far, collected (in order); errors of earlier elements come first. */
  async settle(): Promise<void> {
    this.send()
    await this.take(0)
  }

  private collect(b: Batch, o: StageOut): void {
    const c = this.c
    const buf = Buffer.from(o.buf)
    const json = Buffer.from(o.json)
    let from = 0
    for (let i = 0; i < b.n; i++) {
      const to = b.ends[i]!
      const k = o.kind[i]!
      const l = b.labelOf[i]!
      if (k !== 0) {
        const s = o.source[i]!
        const item: BuildItem = { ts: o.ts[i]!, type: o.type[i]!, source: Number.isNaN(s) ? null : s, hash: o.hash[i]!, json: null, buf: json, at: i ? o.jsonEnd[i - 1]! : 0, end: o.jsonEnd[i]! }
        c.addNormalized(k === 1 ? 'rrweb' : 'window-tuple', o.wids[o.widOf[i]!]!, item)
      } else {
        const start = b.meta[i * 3]!
        const end = b.meta[i * 3 + 1]!
        const text = buf.toString('utf8', from, to)
        const value = parseElement(text, start, end)
        c.addItem(value, `${b.labels[l]}[${b.meta[i * 3 + 2]!}] (bytes ${start}–${end})`, b.hints[l], b.plain[i] ? text : undefined)
      }
      from = to
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.fail(new WorkerFailed('closed'))
    void this.worker.terminate()
  }
}
