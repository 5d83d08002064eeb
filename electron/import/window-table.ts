// Per-window state looked up once per event. Files mostly hold a few windows whose events
// interleave, so comparing against the few known ones beats building a key string per event;
// past a handful (an export of many sessions) a Map takes over.
const SCAN_MAX = 16

export class WindowTable<T extends { sid: string | null; wid: string }> {
  private readonly list: T[] = []
  private map: Map<string, T> | null = null
  private last: T | null = null

  get(sid: string | null, wid: string, make: () => T): T {
    const l = this.last
    if (l !== null && l.wid === wid && l.sid === sid) return l
    let found: T | undefined
    if (this.map === null) {
      for (const w of this.list) {
        if (w.wid === wid && w.sid === sid) {
          found = w
          break
        }
      }
    } else found = this.map.get(key(sid, wid))
    if (found === undefined) {
      found = make()
      this.list.push(found)
      if (this.map === null && this.list.length > SCAN_MAX) this.map = new Map(this.list.map((w) => [key(w.sid, w.wid), w]))
      else this.map?.set(key(sid, wid), found)
    }
    this.last = found
    return found
  }

  values(): readonly T[] {
    return this.list
  }

  get size(): number {
    return this.list.length
  }
}

const key = (sid: string | null, wid: string) => `${sid ?? ''}\u0000${wid}`
