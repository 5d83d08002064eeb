// Which stored events are noise to a support agent: errors thrown by another origin's script (a
// widget, an ad, an analytics snippet), benign browser chatter, requests to another host. The
// detectors (electron/sessions/noise.ts) never flag them; the session's Errors count leaves them
// out and the player shows them muted. One rule for the core and the renderer.

// Browser chatter that never means the user was affected ("Script error." is what a browser
// reports for an error in a cross-origin script it may not describe).
const BENIGN = [/ResizeObserver loop/i, /^Script error\.?$/i, /Non-Error promise rejection captured/i]

export function hostOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).host
  } catch {
    return null
  }
}

/** Both URLs known and on different hosts. */
export function otherHost(url: string | null, pageUrl: string | null): boolean {
  const a = hostOf(url)
  const b = hostOf(pageUrl)
  return a !== null && b !== null && a !== b
}

export const isBenignMessage = (message: string | null): boolean => !!message && BENIGN.some((r) => r.test(message))

/** First http(s) URL of a script in a stack trace, exception list or message: the script that threw. */
export function scriptUrl(...sources: unknown[]): string | null {
  for (const s of sources) {
    const text = typeof s === 'string' ? s : s === undefined || s === null ? '' : JSON.stringify(s)
    const m = /https?:\/\/[^\s'"()]+?\.(?:m?js|ts|jsx|tsx)\b/.exec(text)
    if (m) return m[0]
  }
  return null
}

/** The script an error event names, from its stored properties (a console error's trace, an $exception's list). */
export function errorScriptUrl(type: string, message: string | null, props: Record<string, unknown>): string | null {
  if (type === 'console_error') return scriptUrl(props.trace, message)
  if (type === '$exception') return scriptUrl(props.$exception_list, props.$exception_stack_trace_raw)
  return null
}

export const isErrorType = (type: string): boolean => type === 'console_error' || type === '$exception'

/**
 * A stored event that is noise: an error from another host's script or benign chatter, or a
 * request to another host than the page's. (Whether a request failed is the caller's concern.)
 */
export function isNoiseEvent(e: { type: string; url: string | null; exc_message: string | null; http_url: string | null }, props: Record<string, unknown>): boolean {
  if (isErrorType(e.type)) return isBenignMessage(e.exc_message) || otherHost(errorScriptUrl(e.type, e.exc_message, props), e.url)
  if (e.type === 'network') return otherHost(e.http_url, e.url)
  return false
}
