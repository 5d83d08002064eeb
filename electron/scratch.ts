// Scratch folders in the OS temp folder, for work that writes files on its way (a pull's download
// before its import). Each is named after the process that made it, so the next one removes those
// of processes that ended before they could (killed, crashed): nothing piles up in /tmp.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { alive } from './processes'

/** Prefixes swept by this process: once is enough (a pull by query makes one per recording). */
const swept = new Set<string>()

/** A new folder `<tmp>/<prefix><pid>-XXXXXX`, once the ones of `prefix` whose process is gone are
 * removed. The caller removes its own when done. */
export function scratchDir(prefix: string): string {
  if (!swept.has(prefix)) {
    swept.add(prefix)
    const ours = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-[A-Za-z0-9]{6}$`)
    for (const name of safeList(os.tmpdir())) {
      const pid = Number(ours.exec(name)?.[1] ?? NaN)
      if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue
      // Another user's, or removed meanwhile: left as it is.
      fs.rm(path.join(os.tmpdir(), name), { recursive: true, force: true }, () => {})
    }
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}${process.pid}-`))
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}
