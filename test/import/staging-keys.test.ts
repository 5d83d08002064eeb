// Event hashes are signed 64-bit: staged in one batch statement, they must come back exactly.
import { afterAll, expect, it } from 'vitest'
import { tmp, withStore } from './helpers'

const t = tmp()
afterAll(() => t.cleanup())

it('staged event hashes keep every int64 value and their order', () => {
  const store = withStore(t.dir)
  const hashes = [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 1n, 9007199254740993n, -9007199254740993n, 1234567890123456789n]
  const st = store.staging()
  st.addKeys('s', 'w', hashes)
  st.addKeys('s', 'w', [])
  expect(st.sampleKeys('s', 'w', 100)).toEqual(hashes)
  st.drop()
  store.close()
})
