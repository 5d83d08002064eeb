// User settings with their defaults. Offline is on until a provider is configured: a fresh
// install never sends anything anywhere.
import type { Settings } from '../shared/model'
import type { Store } from './store'

export const DEFAULT_SETTINGS: Settings = {
  provider: 'none',
  model: '',
  base_url: '',
  embedding_model: '',
  offline: true,
  theme: 'system',
  clip_mask_text: false,
}

export function readSettings(store: Store): Settings {
  const stored = store.settings.all()
  const merged = { ...DEFAULT_SETTINGS }
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    if (key in stored && typeof stored[key] === typeof DEFAULT_SETTINGS[key]) (merged as Record<string, unknown>)[key] = stored[key]
  }
  return merged
}

export function writeSettings(store: Store, patch: Partial<Settings>): Settings {
  store.settings.set(patch)
  return readSettings(store)
}
