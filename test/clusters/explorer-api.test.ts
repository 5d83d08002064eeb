// The explorer's capabilities over a stored run: points travel as packed columns (octet-stream in
// web mode) and unpack to the stored values; rows carry what the tooltip needs; search, place,
// export (formula cells neutralised).
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../../electron/core'
import { serve, type WebServer } from '../../electron/serve'
import { createRouter } from '../../electron/api'
import { unpackColumns } from '../../shared/columns'
import type { PointColumns, PointsMeta } from '../../shared/cluster-view'
import { tempDir } from '../helpers'
import { CLUSTERS, MODELS, NOISE, PER_CLUSTER, seedRun } from './fixture'

const tmp = tempDir()
let core: Core
let server: WebServer
let runId: string
let ids: string[]

beforeAll(async () => {
  core = openCore({ db: path.join(tmp.dir, 'c.db'), transport: 'http', secrets: { get: () => undefined } })
  ;({ runId, ids } = seedRun(core.store, { formulaTitle: true }))
  server = await serve(core)
})
afterAll(async () => {
  await server?.close()
  await core?.close()
  tmp.cleanup()
})

const post = (channel: string, body: unknown) =>
  fetch(`http://127.0.0.1:${server.port}/api/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

describe('cluster explorer capabilities', () => {
  it('web mode answers the points as application/octet-stream that unpacks to the stored values', async () => {
    const res = await post('clusters:points', { run_id: runId })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const { columns, meta } = unpackColumns<PointColumns, PointsMeta>(await res.arrayBuffer())
    const n = CLUSTERS.length * PER_CLUSTER + NOISE
    expect(meta.n).toBe(n)
    expect(meta.run.run_id).toBe(runId)
    expect(columns.x).toBeInstanceOf(Float32Array)
    const stored = core.store.clusters.get(runId)!.points
    const traces = core.store.db.prepare('SELECT id, input_tokens + output_tokens AS tokens, cost_usd, error, start_ms, models FROM traces').all() as { id: string; tokens: number; cost_usd: number; error: number; start_ms: number; models: string }[]
    const byId = new Map(traces.map((t) => [t.id, t]))
    for (let i = 0; i < n; i++) {
      const p = stored[i]!
      const t = byId.get(String(p.id))!
      expect(columns.x[i]).toBe(Math.fround(p.x))
      expect(columns.y[i]).toBe(Math.fround(p.y))
      expect(columns.cluster[i]).toBe(p.cluster)
      expect(columns.topic[i]).toBe(p.topic)
      expect(columns.tokens[i]).toBe(t.tokens)
      expect(columns.cost[i]).toBe(Math.fround(t.cost_usd))
      expect(columns.error[i]).toBe(t.error)
      expect(columns.date[i]).toBe(t.start_ms)
      expect(meta.models[columns.model[i]!]).toBe((JSON.parse(t.models) as string[])[0])
    }
    expect(new Set(meta.models)).toEqual(new Set(MODELS))
  })

  it('an unknown run is a clear JSON error, not bytes', async () => {
    const res = await post('clusters:points', { run_id: 'nope' })
    expect(res.headers.get('content-type')).toMatch(/json/)
    const body = (await res.json()) as { ok: boolean; error: { message: string } }
    expect(body.ok).toBe(false)
    expect(body.error.message).toMatch(/nope/)
  })

  it('rows carry title (from the summary), model, cluster, tokens, cost, error, date; sortable and filtered', async () => {
    const router = createRouter(core)
    const one = (await router.handle('clusters:rows', { run_id: runId, indices: [5] })) as { ok: true; result: { rows: { id: string; title: string; model: string; cluster: number }[] } }
    expect(one.result.rows).toHaveLength(1)
    expect(one.result.rows[0]).toMatchObject({ id: ids[5], title: 'Refund for order #5', model: MODELS[5 % 2], cluster: 0 })
    const noise = (await router.handle('clusters:rows', { run_id: runId, cluster: -1, sort: 'outlier', dir: 'desc', limit: 1000 })) as { ok: true; result: { rows: { outlier: number }[]; total: number } }
    expect(noise.result.total).toBe(NOISE)
    const scores = noise.result.rows.map((r) => r.outlier)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const drill = (await router.handle('clusters:rows', { run_id: runId, cluster: 3, bullets: true, limit: 2 })) as { ok: true; result: { rows: { bullets: string[] }[]; total: number } }
    expect(drill.result.total).toBe(PER_CLUSTER)
    expect(drill.result.rows[0]!.bullets[0]).toMatch(/Reset my password/)
  })

  it('search answers packed indices of matching titles', async () => {
    const res = await post('clusters:search', { run_id: runId, q: 'parcel' })
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const { columns, meta } = unpackColumns<{ idx: Uint32Array }, { total: number }>(await res.arrayBuffer())
    expect(meta.total).toBe(PER_CLUSTER)
    expect([...columns.idx].every((i) => i >= PER_CLUSTER && i < 2 * PER_CLUSTER)).toBe(true)
  })

  it('place: a trace names its cluster and topic in the newest run; none for an unclustered trace', async () => {
    const router = createRouter(core)
    const r = (await router.handle('clusters:place', { trace_id: ids[PER_CLUSTER * 3 + 1] })) as { ok: true; result: { run_id: string; idx: number; cluster_label: string; topic_label: string } }
    expect(r.result).toMatchObject({ run_id: runId, idx: PER_CLUSTER * 3 + 1, cluster_label: 'Password resets', topic_label: 'Account access' })
    const none = (await router.handle('clusters:place', { trace_id: 'not-there' })) as { ok: true; result: null }
    expect(none.result).toBeNull()
  })

  it('export: CSV with formula cells neutralised, and JSON', async () => {
    const router = createRouter(core)
    const csv = (await router.handle('clusters:export', { run_id: runId, indices: [0, 1, PER_CLUSTER * 6], format: 'csv' })) as { ok: true; result: { content: string; rows: number; filename: string } }
    expect(csv.result.rows).toBe(3)
    const lines = csv.result.content.trim().split('\r\n')
    expect(lines[0]).toBe('id,title,cluster,cluster_label,topic,topic_label')
    expect(lines[1]).toBe(`${ids[0]},"'=HYPERLINK(""http://x.test"",""refund"")",0,Refund requests,0,Orders and money`)
    expect(lines[3]).toMatch(/^tr-\d+,Odd one out #0,-1,Outliers,-1,Outliers$/)
    const json = (await router.handle('clusters:export', { run_id: runId, indices: [1], format: 'json' })) as { ok: true; result: { content: string } }
    expect(JSON.parse(json.result.content)).toEqual({ run_id: runId, points: [{ id: ids[1], title: 'Refund for order #1', cluster: 0, cluster_label: 'Refund requests', topic: 0, topic_label: 'Orders and money' }] })
  })
})
