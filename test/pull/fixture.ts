// What the pull suites set up: a fake PostHog API (real HTTP on 127.0.0.1) serving the S1 and S4
// capture files, fresh stores in a temp folder, pull inputs with short timeouts, and a virtual
// clock shared by the client and the fake (rate-limit waits pass without sleeping).
import path from 'node:path'
import { type PullHooks, type PullInput, pullRecording } from '../../electron/pull'
import { openStore, type Store } from '../../electron/store'
import { FakePosthogApi, recordingFromCaptureFile, type FakeRecording } from '../fakes/posthog-api'
import { sharedSamples, tempDir } from '../helpers'
import { VirtualClock } from './clock'

export const sample = (n: string) => path.join(sharedSamples, 'sessions', n)
export const S1 = 'S1-happy-browse-and-buy.posthog-events.jsonl'
export const S4 = 'S4-two-tabs.posthog-events.jsonl'

export function pullFixture(name: string, project: string, defaults: Omit<PullInput, 'url' | 'apiKey' | 'offline'>) {
  const tmp = tempDir(`sightline-${name}-`)
  const stores: Store[] = []
  let dbs = 0
  let api: FakePosthogApi | null = null
  const clock = new VirtualClock()
  return {
    project,
    clock,
    /** The temp folder the stores live in (removed by stop()). */
    dir: tmp.dir,
    /** Starts the API with S1 (3 blob blocks) and S4 (5). */
    async start(): Promise<{ api: FakePosthogApi; s1: FakeRecording; s4: FakeRecording }> {
      const s1 = recordingFromCaptureFile(sample(S1), project, 3)
      const s4 = recordingFromCaptureFile(sample(S4), project, 5)
      api = await new FakePosthogApi().add(s1).add(s4).start()
      api.now = clock.now
      return { api, s1, s4 }
    },
    async stop(): Promise<void> {
      for (const s of stores) if (s.db.open) s.close()
      await api?.close()
      tmp.cleanup()
    },
    fresh(): Store {
      const s = openStore(path.join(tmp.dir, `${name}-${++dbs}.db`))
      stores.push(s)
      return s
    },
    input(url: string, extra: Partial<PullInput> = {}): PullInput {
      return { url, apiKey: api!.apiKey, offline: true, ...defaults, ...extra }
    },
    /** pullRecording on the fixture's virtual clock. */
    pull(store: Store, input: PullInput, hooks: PullHooks = {}) {
      return pullRecording(store, input, { clock, ...hooks })
    },
  }
}

/** What a user sees of a session: the row (minus which source made it) and its windows. */
export function view(store: Store, id: string) {
  const row = store.sessions.get(id)
  return { row: row && { ...row, source_id: null }, windows: store.chunks.windows(id).map((w) => w.window_id) }
}
