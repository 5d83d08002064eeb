// Opens a source file as a stream of (decompressed) bytes: gzip by magic bytes, then snappy
// (PostHog blob storage, snappy.ts) by sniffing, never by name; counts raw bytes for progress,
// hashes them for idempotency, caps what gunzip and snappy may produce.
import { createHash, type Hash } from 'node:crypto'
import fs from 'node:fs'
import { PassThrough, Transform, type Readable } from 'node:stream'
import zlib from 'node:zlib'
import { CancelledError } from '../errors'
import { ImportError } from './errors'
import { SnappyDecoder, SnappyError, type SnappyShape } from './snappy'

/** Gunzip (and snappy) output cap: 256 MB floor, else 200× the compressed size, never above 4 GB. */
export function defaultMaxDecompressed(compressedBytes: number): number {
  return Math.min(4 * 2 ** 30, Math.max(256 * 2 ** 20, compressedBytes * 200))
}

export interface SourceOptions {
  signal?: AbortSignal | undefined
  /** Raw (on-disk) bytes read so far. */
  onBytes?: ((read: number) => void) | undefined
  maxDecompressedBytes?: number | undefined
  hash?: boolean
}

export interface OpenedSource {
  /** The content, gunzipped if it was gzip, decoded if it was snappy. */
  stream: Readable
  gzip: boolean
  /** Snappy records or one raw block (under the gzip, if any); known once the first 64 KB have been read. */
  readonly snappy: SnappyShape | null
  totalBytes: number
  rawBytesRead(): number
  /** Bytes handed to the reader so far (after gunzip and snappy): error positions use this. */
  contentBytesRead(): number
  /** sha256 of the raw file; complete once the stream has ended. */
  sha256(): string
}

export async function openSource(file: string, opts: SourceOptions = {}): Promise<OpenedSource> {
  const stat = await fs.promises.stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new ImportError(file, null, e.code === 'ENOENT' ? 'file not found' : `cannot read file (${e.code ?? e.message})`)
  })
  if (!stat.isFile()) throw new ImportError(file, null, 'not a regular file')
  const gzip = await startsWithGzipMagic(file)
  const hash: Hash | null = opts.hash === false ? null : createHash('sha256')
  let raw = 0
  let content = 0
  const signal = opts.signal

  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (signal?.aborted) return cb(new CancelledError())
      raw += chunk.length
      hash?.update(chunk)
      opts.onBytes?.(raw)
      cb(null, chunk)
    },
  })
  const max = opts.maxDecompressedBytes ?? defaultMaxDecompressed(stat.size)
  let inflated = 0
  const gzCap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      inflated += chunk.length
      if (inflated > max) {
        return cb(new ImportError(file, `byte ${raw} of the gzip data`, `decompresses to more than ${max} bytes; refusing (zip bomb?)`))
      }
      cb(null, chunk)
    },
  })
  // Passes text through untouched; the same cap, from each block's header before it is decoded.
  const snappy = new SnappyDecoder(max)
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      content += chunk.length
      cb(null, chunk)
    },
  })

  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 })
  const out = new PassThrough({ highWaterMark: 256 * 1024 })
  const fail = (e: Error) => out.destroy(e)
  input.on('error', (e) => fail(new ImportError(file, `byte ${raw}`, `read error: ${e.message}`)))
  tap.on('error', fail)
  gzCap.on('error', fail)
  counter.on('error', fail)
  snappy.on('error', (e) => fail(e instanceof SnappyError ? new ImportError(file, `byte ${e.offset} of the ${gzip ? 'gunzipped ' : ''}snappy data`, e.problem) : e))
  if (gzip) {
    const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 })
    gunzip.on('error', (e) =>
      fail(new ImportError(file, `byte ${raw} of the gzip data`, `corrupt or truncated gzip data (${e.message})`)),
    )
    input.pipe(tap).pipe(gunzip).pipe(gzCap).pipe(snappy).pipe(counter).pipe(out)
  } else {
    input.pipe(tap).pipe(snappy).pipe(counter).pipe(out)
  }
  // A cancel ends the stream at once, even while a read is still pending (a disk or share that
  // stopped answering would otherwise hold the job until its worker is terminated).
  const onAbort = () => fail(new CancelledError())
  signal?.addEventListener('abort', onAbort, { once: true })
  // Tear everything down when the consumer stops early (detection, errors, cancel).
  out.on('close', () => {
    signal?.removeEventListener('abort', onAbort)
    input.destroy()
  })
  return {
    stream: out,
    gzip,
    get snappy() {
      return snappy.shape ?? null
    },
    totalBytes: stat.size,
    rawBytesRead: () => raw,
    contentBytesRead: () => content,
    sha256: () => (hash ? hash.copy().digest('hex') : ''),
  }
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r')
  try {
    const buf = Buffer.alloc(2)
    const { bytesRead } = await fh.read(buf, 0, 2, 0)
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b
  } finally {
    await fh.close()
  }
}
