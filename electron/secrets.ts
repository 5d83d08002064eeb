// API keys. The app keeps them in the OS keychain (Electron safeStorage, wired in main.ts); the CLI
// and web mode read the environment. Never stored in the database, never logged, never in errors.

/** Model providers' keys, and a PostHog personal API key for `sightline pull` / pull:start. */
export type SecretName = 'openai' | 'gemini' | 'posthog'

export interface SecretSource {
  get(name: SecretName): string | undefined
  /** Absent where keys can only come from the environment (CLI, web mode). '' clears. */
  set?(name: SecretName, value: string): void
}

export const SECRET_ENV = { openai: 'OPENAI_API_KEY', gemini: 'GEMINI_API_KEY', posthog: 'POSTHOG_API_KEY' } as const satisfies Record<SecretName, string>

export const envSecrets: SecretSource = {
  get: (name) => process.env[SECRET_ENV[name]] || undefined,
}

/** Pieces of a key this long or longer are scrubbed too: a message cut mid-key must not leak its half. */
export const SECRET_PIECE = 8

/**
 * Removes every known secret value from a text before it is shown, stored or logged: the whole key
 * and any run of SECRET_PIECE or more of its characters (what a cut at a length limit, a line wrap
 * or a split leaves of it). Scrub first, cut after; this still holds when someone cut first.
 */
export function scrubSecrets(text: string, source: SecretSource): string {
  let out = text
  for (const name of Object.keys(SECRET_ENV) as SecretName[]) {
    const v = source.get(name)
    if (v && v.length >= SECRET_PIECE) out = scrubPieces(out, v, `[${name} key]`)
  }
  return out
}

/** Replaces every span of `text` covered by SECRET_PIECE-character pieces of `secret`. */
function scrubPieces(text: string, secret: string, label: string): string {
  if (text.length < SECRET_PIECE) return text
  const pieces = new Set<string>()
  for (let i = 0; i + SECRET_PIECE <= secret.length; i++) pieces.add(secret.slice(i, i + SECRET_PIECE))
  // Cheap pre-check on the first characters of the pieces: most texts hold none of them.
  const starts = new Set([...pieces].map((p) => p[0]))
  let out = ''
  let last = 0
  let spanEnd = -1
  for (let i = 0; i + SECRET_PIECE <= text.length; i++) {
    if (!starts.has(text[i]!) || !pieces.has(text.slice(i, i + SECRET_PIECE))) continue
    if (i > spanEnd) {
      if (spanEnd >= 0) out += label
      out += text.slice(last, i)
    }
    spanEnd = Math.max(spanEnd, i + SECRET_PIECE)
    last = spanEnd
  }
  if (spanEnd < 0) return text
  return out + label + text.slice(last)
}
