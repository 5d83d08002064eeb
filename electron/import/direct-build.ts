// The fast path: rrweb events go straight from the reader into one WindowBuilder per window while
// the file streams, instead of being staged, indexed and read back in time order. Valid only when
// that gives the same result as the staged path: every window's events arrive in time order and
// no event can be a clock outlier. Otherwise NeedsStaging, and the file is read again, staged.
import type { EventRecord, StagingArea } from '../store/staging'
import { PENDING_SESSION } from './collect'
import { renameDerivedUuid } from './derive'
import type { RrwebEvent } from './rrweb'
import { type BuildItem, type BuiltWindow, OUTLIER_MS, WindowBuilder } from './window-builder'

/** The file cannot take the fast path (events out of order, outliers possible): stage it. */
export class NeedsStaging extends Error {
  constructor(readonly why: string) {
    super(`needs staging: ${why}`)
  }
}

interface Open {
  sid: string
  wid: string
  builder: WindowBuilder
  lastTs: number
  minTs: number
  maxTs: number
}

export class DirectBuilds {
  private readonly open = new Map<string, Open>()

  constructor(private readonly staging: StagingArea) {}

  push(sid: string, wid: string, item: BuildItem & { event: RrwebEvent }): void {
    const key = `${sid}\u0000${wid}`
    let w = this.open.get(key)
    if (!w) {
      const sink = {
        chunk: (c: Parameters<StagingArea['addChunks']>[2][number]) => this.staging.addChunks(sid, wid, [c]),
        hashes: (h: bigint[]) => this.staging.addKeys(sid, wid, h),
        derived: (e: EventRecord[]) => void this.staging.addBatch([], e),
      }
      // No median yet: outliers are ruled out at the end instead (see finish).
      w = { sid, wid, builder: new WindowBuilder(sid, wid, null, sink), lastTs: item.ts, minTs: item.ts, maxTs: item.ts }
      this.open.set(key, w)
    }
    if (item.ts < w.lastTs) throw new NeedsStaging('events out of time order')
    w.lastTs = item.ts
    w.maxTs = item.ts
    if (w.maxTs - w.minTs > OUTLIER_MS) throw new NeedsStaging('a window spans more than a day (clock outliers possible)')
    w.builder.push(item)
  }

  /**
   * Finishes every window, names the pending session (plain rrweb files) and returns the windows
   * in the order the staged path builds them: by session, then first event.
   */
  finish(pendingTo: string): BuiltWindow[] {
    const named = new Set([...this.open.values()].filter((w) => w.sid !== PENDING_SESSION).map((w) => `${w.sid}\u0000${w.wid}`))
    for (const w of this.open.values()) {
      // Staged, the pending events would have joined this window: sorted together, not apart.
      if (w.sid === PENDING_SESSION && pendingTo !== PENDING_SESSION && named.has(`${pendingTo}\u0000${w.wid}`)) throw new NeedsStaging('a window is split between a pending and a named session')
    }
    const out: { w: Open; built: BuiltWindow }[] = []
    for (const w of this.open.values()) out.push({ w, built: w.builder.finish() })
    if (pendingTo !== PENDING_SESSION && out.some((o) => o.w.sid === PENDING_SESSION)) {
      this.staging.renameBuilt(PENDING_SESSION, pendingTo, (u) => renameDerivedUuid(u, PENDING_SESSION, pendingTo))
      for (const o of out) if (o.w.sid === PENDING_SESSION) o.built.sessionId = pendingTo
    }
    const bytes = new Map<string, Buffer>()
    const b = (s: string) => bytes.get(s) ?? (bytes.set(s, Buffer.from(s)), bytes.get(s)!)
    // SQLite's BINARY collation: UTF-8 bytes, not UTF-16 code units.
    out.sort((x, y) => Buffer.compare(b(x.built.sessionId), b(y.built.sessionId)) || x.w.minTs - y.w.minTs || Buffer.compare(b(x.w.wid), b(y.w.wid)))
    return out.map((o) => o.built)
  }
}
