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

/** The clip renderer's (cdp.ts launches with these alone): the base list plus what frame capture needs. */
export const CLIP_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  // Frames the same on every machine: no scrollbars over the replay, sRGB whatever the display.
  '--hide-scrollbars',
  '--force-color-profile=srgb',
  '--mute-audio',
  // A page kept warm between clips is never throttled as a background one.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // Nothing extra at start: extensions, breakpad, the hang monitor, variations; a small /dev/shm
  // (containers) is not used for frames.
  '--disable-extensions',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-hang-monitor',
  '--disable-field-trial-config',
  '--disable-dev-shm-usage',
  // Many captures in a row are not an IPC flood; the first paint is not held back.
  '--disable-ipc-flooding-protection',
  '--disable-features=PaintHolding,OptimizationHints,MediaRouter,Translate,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  '--metrics-recording-only',
  '--password-store=basic',
  '--no-default-browser-check',
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

const BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']
/** Chromium's headless shell (Debian's chromium-headless-shell; Chrome for Testing's name last). */
const SHELLS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell', '/usr/bin/chrome-headless-shell']

/** CHROMIUM_PATH, else the usual install locations. */
export function chromiumPath(): string {
  return firstFound([process.env.CHROMIUM_PATH, ...BROWSERS])
}

/** The clip renderer's: CHROMIUM_PATH, else the headless shell where installed (the same Blink and
 * Skia without the browser's UI: launch and first page ~0.35 s sooner here, docs/clips.md), else
 * the browser. */
export function clipChromiumPath(): string {
  return firstFound([process.env.CHROMIUM_PATH, ...SHELLS, ...BROWSERS])
}

function firstFound(candidates: (string | undefined)[]): string {
  const paths = candidates.filter(Boolean) as string[]
  const found = paths.find((p) => fs.existsSync(p))
  if (!found) throw new Error(`No Chromium found (looked at ${paths.join(', ')}): install Chromium or set CHROMIUM_PATH`)
  return found
}
