// The app itself: what it is and runs on, settings, keys, the bundled samples.
import { api } from '../../shared/api'
import type { AppInfo } from '../../shared/model'
import { resolveFfmpeg } from '../clips/ffmpeg'
import { UserError } from '../errors'
import { appVersion } from '../paths'
import { listSamples } from '../samples'
import { SECRET_ENV } from '../secrets'
import { readSettings, writeSettings } from '../settings'
import { query } from './capability'

export const system = {
  'app:info': query({
    input: api['app:info'].req,
    run: ({ store, secrets, transport }): AppInfo => ({
      version: appVersion(),
      transport: transport === 'ipc' ? 'ipc' : 'http',
      db_path: store.file,
      keys: { openai: !!secrets.get('openai'), gemini: !!secrets.get('gemini'), posthog: !!secrets.get('posthog') },
      ffmpeg: resolveFfmpeg(),
    }),
  }),
  'settings:get': query({ input: api['settings:get'].req, run: ({ store }) => readSettings(store) }),
  'settings:set': query({ input: api['settings:set'].req, run: ({ store }, patch) => writeSettings(store, patch), changes: () => ['settings'] }),
  /** A key into the OS keychain (the app); elsewhere keys come from the environment. '' removes it. */
  'keys:set': query({
    input: api['keys:set'].req,
    run: ({ secrets }, r) => {
      if (!secrets.set) throw new UserError(`Keys cannot be stored from here. Set ${SECRET_ENV[r.name]} in the environment that runs Sightline.`)
      secrets.set(r.name, r.value.trim())
      return { stored: r.value.trim() !== '' }
    },
    changes: () => ['settings'],
  }),
  'samples:list': query({ input: api['samples:list'].req, run: () => listSamples() }),
}
