// Flag recall and flags per problem over every developer sample and the bundled demo (recall.ts;
// the numbers: `npx tsx bench/flag-recall.ts`). Before issue 13 the demo had 7 flags for its two
// real problems, one saying "21 errors" beside a header of 7.
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { measureRecall, totals } from './recall'

const tmp = tempDir('sightline-recall-')
afterAll(() => tmp.cleanup())

describe('flags against the ground truth', () => {
  it('find every problem a file shows, about one flag per problem, the demo one flag per problem', async () => {
    const rows = await measureRecall(tmp.dir)
    const t = totals(rows)
    expect(t.recallVisible).toBeGreaterThanOrEqual(0.9)
    expect(t.flagsPerProblem).toBeLessThanOrEqual(1)
    const demo = rows.find((r) => r.file === 'demo-shop.rrweb.json')!
    expect(demo).toMatchObject({ problems: 2, found: 2, flags: 2 })
  })
})
