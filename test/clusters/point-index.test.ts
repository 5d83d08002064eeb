// Migration 0160: a trace is found among every run's points by an index on point_id, not a scan.
// The newest run that holds it wins (two runs of the same traces).
import { afterAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { openStore } from '../../electron/store'
import { ClusterViewQueries } from '../../electron/store/cluster-view'
import { tempDir } from '../helpers'
import { PER_CLUSTER, seedRun } from './fixture'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('cluster_points by point id', () => {
  it('the place of a trace is looked up through the index, newest run first', () => {
    const store = openStore(path.join(tmp.dir, 'p.db'))
    const { ids } = seedRun(store, { runId: 'old', created_ms: 1 })
    seedRun(store, { runId: 'new', created_ms: 2 })
    const plan = store.db
      .prepare(`EXPLAIN QUERY PLAN SELECT p.run_id FROM cluster_points p JOIN cluster_runs r ON r.id = p.run_id WHERE p.point_id = ? ORDER BY r.created_ms DESC LIMIT 1`)
      .all('x') as { detail: string }[]
    expect(plan.map((r) => r.detail).join('\n')).toMatch(/SEARCH p USING INDEX cluster_points_point \(point_id=\?\)/)
    const place = new ClusterViewQueries(store.db).placeOf(ids[PER_CLUSTER + 3]!)
    expect(place).toMatchObject({ run_id: 'new', idx: PER_CLUSTER + 3, cluster: 1 })
    store.close()
  })
})
