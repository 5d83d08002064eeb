// The sync points of pulls by query, as people see them (`sightline pull --sync-points`, the pull
// dialog), and forgetting them: the next pull of that query starts over from --since (what was
// imported stays; pulling it again finds it already imported).
import type { SyncPointInfo } from '../../shared/pull'
import { UserError } from '../errors'
import type { Store } from '../store'
import { positionOf } from './list'
import { parseProjectUrl } from './url'

/** Where a sync point stands, as an ISO time: the recordings list's cursor, or the last event's timestamp. */
function positionOfCursor(kind: string, cursor: string | null): string | null {
  if (!cursor) return null
  if (kind === 'recordings') {
    const at = positionOf(cursor)
    return at ? new Date(at.t).toISOString() : null
  }
  try {
    const t = (JSON.parse(cursor) as { timestamp?: unknown }).timestamp
    return typeof t === 'string' ? t : null
  } catch {
    return null
  }
}

export function listSyncPoints(store: Store): SyncPointInfo[] {
  return store.sync.list().map((sp) => {
    let query: Record<string, string> = {}
    try {
      const q = JSON.parse(sp.query) as Record<string, unknown>
      query = Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''))
    } catch {
      // an unreadable query still lists (and can be reset) by its key
    }
    return { key: sp.key, kind: sp.kind, project: sp.project_url, query, position: positionOfCursor(sp.kind, sp.cursor), pulled: sp.pulled, updated_ms: sp.updated_ms }
  })
}

/** Forgets one sync point (by key) or every one of a project (any of its pages); returns the keys forgotten. */
export function resetSync(store: Store, which: { key: string } | { project: string }): string[] {
  if ('key' in which) {
    if (!store.sync.remove(which.key)) throw new UserError(`No sync point ${JSON.stringify(which.key)}; \`sightline pull --sync-points\` lists them.`, 'not_found')
    return [which.key]
  }
  return store.sync.removeProject(parseProjectUrl(which.project).canonical)
}
