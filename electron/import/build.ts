// Second pass over the staged rrweb events: per window, in time order, into chunks (staged
// again, compressed) + derived events. Runs before the commit transaction, paging through the staging tables and yielding
// to the event loop between pages so the app stays responsive and cancel is noticed.
import { setImmediate as tick } from 'node:timers/promises'
import { CancelledError } from '../errors'
import type { EventRecord, StagingArea } from '../store/staging'
import { type BuiltChunk, type BuiltWindow, WindowBuilder } from './window-builder'

const PAGE = 2000

export async function buildWindows(staging: StagingArea, signal?: AbortSignal): Promise<BuiltWindow[]> {
  staging.indexForReading()
  const out: BuiltWindow[] = []
  for (const w of staging.windows()) {
    const sink = {
      chunk: (c: BuiltChunk) => staging.addChunks(w.sid, w.wid, [c]),
      hashes: (h: bigint[]) => staging.addKeys(w.sid, w.wid, h),
      derived: (e: EventRecord[]) => staging.addBuilt({ chunks: [], derived: e }),
    }
    const b = new WindowBuilder(w.sid, w.wid, staging.medianTs(w.sid, w.wid, w.events), sink)
    let after: { ts: number; seq: number } | null = null
    for (;;) {
      if (signal?.aborted) throw new CancelledError()
      const page = staging.page(w.sid, w.wid, after, PAGE)
      for (const row of page) b.push(row)
      if (page.length < PAGE) break
      const last = page.at(-1)!
      after = { ts: last.ts, seq: last.seq }
      await tick()
    }
    out.push(b.finish())
  }
  return out
}
