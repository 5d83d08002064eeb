// A fake OpenAI and a fake Gemini on 127.0.0.1 for one test file, with the hooks each such file
// used to write out: up before the tests, closed after them, emptied between tests.
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startFakeGemini, type FakeGemini } from './gemini-server'
import type { Recorded } from './http'
import { startFakeOpenAI, type FakeOpenAI } from './openai-server'

export interface FakeModels {
  oa: FakeOpenAI
  gm: FakeGemini
}

type Answer = (req: Recorded) => unknown

/**
 * Starts both servers before the file's tests (each answer decides that model's JSON) and closes
 * them after; after each test their recorded requests and queued faults are cleared. `oa` and `gm`
 * are set once the servers are up: read them in tests and hooks, not at load.
 */
export function fakeModelServers(openaiAnswer?: Answer, geminiAnswer: Answer | undefined = openaiAnswer): FakeModels {
  const fakes = {} as FakeModels
  beforeAll(async () => {
    fakes.oa = await startFakeOpenAI(openaiAnswer)
    fakes.gm = await startFakeGemini(geminiAnswer)
  })
  afterAll(async () => {
    await fakes.oa?.close()
    await fakes.gm?.close()
  })
  afterEach(() => {
    for (const s of [fakes.oa.server, fakes.gm.server]) {
      s.requests.length = 0
      s.faults.length = 0
    }
  })
  return fakes
}
