import type { Database } from 'better-sqlite3'
import { SessionRollup } from '../session-rollup'

/**
 * Sessions' Errors count leaves out noise (third-party scripts' errors and benign browser chatter,
 * shared/noise.ts) since this version: sessions imported before are counted again, so the Library
 * and the filters agree with the player whatever version imported them.
 */
export default function errorsWithoutNoise(db: Database): void {
  const rollup = new SessionRollup(db)
  for (const { id } of db.prepare('SELECT id FROM sessions').all() as { id: string }[]) rollup.recountErrors(id)
}
