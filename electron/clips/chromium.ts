// Which Chromium to drive and how: one list for the clip renderer and the e2e harness (and the
// benches that use it), so a flag added for one is not missing from the other.
import fs from 'node:fs'

/** Headless, no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The clip renderer's: the base list plus what frame capture needs. */
export const CLIP_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  // Captures otherwise wait on the 60 Hz frame clock (~30 ms each at any size).
  '--disable-frame-rate-limit',
  // A frame page seeks forward by applying only the new events; re-rastering just the changed
  // rects of the scaled replay left a few pixels (±2 grey levels) unlike a fresh Replayer's.
  '--disable-partial-raster',
  // No name is ever resolved (IP literals neither): every request of the frame page is routed or
  // refused in-process, and the browser's own services (accounts.google.com, the update and
  // autofill hosts) and a prefetch of the routed frame origin otherwise asked DNS, offline or not.
  '--host-resolver-rules=MAP * ~NOTFOUND',
]

/** CHROMIUM_PATH, else the usual install locations. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].filter(Boolean) as string[]
  const found = candidates.find((p) => fs.existsSync(p))
  if (!found) throw new Error(`No Chromium found (looked at ${candidates.join(', ')}): install Chromium or set CHROMIUM_PATH`)
  return found
}
