// PostHog's mobile SDKs (iOS, Android, React Native, Flutter) record wireframes, not a DOM: a
// FullSnapshot with `data.wireframes` and incrementals with `data.updates[].wireframe`. PostHog's
// player turns them into web events (its transformEventToWeb); Sightline stores them as received
// and says it cannot show them yet, rather than showing a blank player or rejecting the file.
import { EventType } from './rrweb'

export const MOBILE_RECORDING_MESSAGE =
  "This window was recorded by PostHog's mobile SDK (wireframes, not a web page). Sightline's player shows web recordings only; its events, summary and flags still work."

/** A FullSnapshot of a mobile recording. */
export function isMobileSnapshot(e: { type?: unknown; data?: unknown }): boolean {
  if (e.type !== EventType.FullSnapshot || typeof e.data !== 'object' || e.data === null) return false
  const d = e.data as { wireframes?: unknown; node?: unknown }
  return Array.isArray(d.wireframes) && d.node === undefined
}
