// The core every way in shares: the store, the job runner and where secrets come from.
import { JobManager } from './jobs'
import { resolveDbPath } from './paths'
import { envSecrets, scrubSecrets, type SecretSource } from './secrets'
import { openStore, type Store } from './store'

export interface Core {
  store: Store
  jobs: JobManager
  secrets: SecretSource
  transport: 'ipc' | 'http' | 'cli'
  close(): Promise<void>
}

export function openCore(opts: { db?: string | undefined; secrets?: SecretSource; transport: Core['transport'] }): Core {
  const store = openStore(resolveDbPath(opts.db))
  const secrets = opts.secrets ?? envSecrets
  const jobs = new JobManager(store, (text) => scrubSecrets(text, secrets))
  return {
    store,
    jobs,
    secrets,
    transport: opts.transport,
    async close() {
      await jobs.shutdown()
      store.close()
    },
  }
}
