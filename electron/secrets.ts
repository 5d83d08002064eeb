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

/** Removes every known secret value from a text before it is shown or logged. */
export function scrubSecrets(text: string, source: SecretSource): string {
  let out = text
  for (const name of Object.keys(SECRET_ENV) as SecretName[]) {
    const v = source.get(name)
    if (v && v.length >= 8) out = out.split(v).join(`[${name} key]`)
  }
  return out
}
