// Which version of the offline detectors found a session's flags. Its own module so that reading
// flags needs none of the detectors' code.
import type { Store } from '../store'

/**
 * Bump it when what the detectors find changes: sessions detected before show as stale and "detect
 * again" (flags:detect, `sightline flags ID --detect`) brings them up to date.
 */
export const DETECTOR_VERSION = 2

/** Whether the stored flags were found by the current detectors. */
export const flagsCurrent = (store: Store, sessionId: string): boolean => store.sessions.detectorVersion(sessionId) === DETECTOR_VERSION
