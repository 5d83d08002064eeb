// The labelling agent against a fake OpenAI server that answers tool calls: phase 1 labels every
// cluster in bulk, phase 2 refines and finalizes; a failure in phase 2 leaves every cluster with
// its bulk label; the budget of calls is kept.
import { afterEach, describe, expect, it } from 'vitest'
import { labelWithAgent, type AgentCluster } from '../../electron/cluster/labels-agent'
import { OpenAIProvider } from '../../electron/llm/openai'
import { NetworkGuard } from '../../electron/net'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { startFakeGemini } from '../fakes/gemini-server'
import { createProvider } from '../../electron/llm'
import type { Recorded } from '../fakes/http'

const clusters: AgentCluster[] = [
  { id: 0, size: 12, label: "refund · order — 'Refund for a broken watch'", keywords: ['refund', 'order'], traces: [{ id: 't1', title: 'Refund for a broken watch' }] },
  { id: 1, size: 9, label: "password · reset — 'Reset my password'", keywords: ['password', 'reset'], traces: [{ id: 't2', title: 'Reset my password' }] },
  { id: 2, size: 7, label: "shipping · late — 'Where is my parcel'", keywords: ['shipping'], traces: [{ id: 't3', title: 'Where is my parcel' }] },
]
const details = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, `summary of ${id}`]))

let fake: FakeOpenAI | null = null
afterEach(async () => {
  await fake?.close()
  fake = null
})

const provider = (f: FakeOpenAI) =>
  new OpenAIProvider({ model: 'llama3.1', baseUrl: f.baseUrl, apiKey: undefined, guard: new NetworkGuard(true), contextTokens: 8192, retry: { retries: 0 } })

/** The model's script: the n-th chat request gets script[n]. */
const scripted = (script: ((req: Recorded) => unknown)[]) => {
  let n = 0
  return (req: Recorded) => script[Math.min(n++, script.length - 1)]!(req)
}

const bulk = { tool_calls: [{ name: 'bulk_set_labels', arguments: { labels: [{ cluster_id: 0, title: 'Refunds', description: 'refund requests' }, { cluster_id: 1, title: 'Password resets', description: '' }, { cluster_id: 2, title: 'Late deliveries', description: '' }] } }] }

describe('labelling agent', () => {
  it('labels every cluster in bulk, refines one in phase 2 after reading tool results, and finalizes', async () => {
    const seen: unknown[] = []
    fake = await startFakeOpenAI(
      scripted([
        () => ({ tool_calls: [{ name: 'get_all_clusters_with_sample_titles', arguments: { titles_per_cluster: 5 } }] }),
        (req) => (seen.push((req.body as { messages: { role: string; content: string }[] }).messages.at(-1)), bulk),
        () => ({ tool_calls: [{ name: 'get_cluster_trace_titles', arguments: { cluster_id: 0 } }, { name: 'get_trace_details', arguments: { trace_ids: ['t1'] } }] }),
        () => ({ tool_calls: [{ name: 'set_cluster_label', arguments: { cluster_id: 0, title: 'Refunds for damaged items', description: 'broken on arrival' } }, { name: 'finalize_labels', arguments: {} }] }),
      ]),
    )
    const r = await labelWithAgent(provider(fake), clusters, details, { maxCalls: 10, maxTokens: 100_000 })
    expect(r.error).toBeNull()
    expect(r.phase).toBe(2)
    expect(r.finalized).toBe(true)
    expect(r.calls).toBe(4)
    expect(Object.fromEntries([...r.labels].map(([id, l]) => [id, l.title]))).toEqual({ 0: 'Refunds for damaged items', 1: 'Password resets', 2: 'Late deliveries' })
    // The tool's result went back to the model as a tool message.
    expect(seen[0]).toMatchObject({ role: 'tool' })
    expect(JSON.parse((seen[0] as { content: string }).content)).toEqual(clusters.map((c) => ({ cluster_id: c.id, size: c.size, titles: c.traces.map((t) => t.title) })))
    // Tools are sent in OpenAI's function shape.
    const tools = (fake.chatRequests()[0]!.body as { tools: { type: string; function: { name: string } }[] }).tools
    expect(tools.map((t) => t.function.name)).toEqual([
      'get_clusters_overview',
      'get_all_clusters_with_sample_titles',
      'get_cluster_trace_titles',
      'get_trace_details',
      'get_current_labels',
      'set_cluster_label',
      'bulk_set_labels',
      'finalize_labels',
    ])
  })

  it('a model that fails in phase 2 leaves every cluster with its bulk label', async () => {
    const f = await startFakeOpenAI(
      scripted([
        () => bulk,
        () => {
          // The next request (phase 2's second) fails as a server error would.
          f.server.faults.push({ kind: 'status', status: 400, body: { error: { message: 'context length exceeded', type: 'invalid_request_error' } } })
          return { tool_calls: [{ name: 'get_current_labels', arguments: {} }] }
        },
        () => ({ tool_calls: [{ name: 'set_cluster_label', arguments: { cluster_id: 1, title: 'never applied', description: '' } }] }),
      ]),
    )
    fake = f
    const r = await labelWithAgent(provider(f), clusters, details, { maxCalls: 10, maxTokens: 100_000 })
    expect(r.phase).toBe(1)
    expect(r.error).toContain('context length exceeded')
    expect([...r.labels.values()].map((l) => [l.title, l.source])).toEqual([
      ['Refunds', 'agent'],
      ['Password resets', 'agent'],
      ['Late deliveries', 'agent'],
    ])
  })

  it('keeps the call budget; clusters the model never labels keep their offline labels; bad tool calls are answered with errors', async () => {
    fake = await startFakeOpenAI(
      scripted([
        () => ({ tool_calls: [{ name: 'set_cluster_label', arguments: { cluster_id: 99, title: 'x', description: '' } }, { name: 'no_such_tool', arguments: {} }] }),
        () => ({ tool_calls: [{ name: 'set_cluster_label', arguments: '{not json' }] }),
        () => ({ tool_calls: [{ name: 'get_current_labels', arguments: {} }] }),
      ]),
    )
    const r = await labelWithAgent(provider(fake), clusters, details, { maxCalls: 3, maxTokens: 100_000 })
    expect(r.calls).toBe(3)
    expect(fake.chatRequests()).toHaveLength(3)
    expect([...r.labels.values()].every((l) => l.source === 'offline')).toBe(true)
    expect(r.labels.get(0)!.title).toBe(clusters[0]!.label)
    const second = (fake.chatRequests()[1]!.body as { messages: { role: string; content: string }[] }).messages.filter((m) => m.role === 'tool')
    expect(second.map((m) => JSON.parse(m.content).error)).toEqual([expect.stringContaining('no cluster 99'), expect.stringContaining('unknown tool no_such_tool')])
  })

  it('runs the same way on Gemini: functionDeclarations out, functionCall parts back, results as functionResponse parts', async () => {
    let n = 0
    const script = [{ tool_calls: [{ name: 'get_clusters_overview', arguments: {} }] }, bulk, { tool_calls: [{ name: 'finalize_labels', arguments: {} }] }]
    const gm = await startFakeGemini(() => script[Math.min(n++, 2)])
    try {
      const p = createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: gm.baseUrl, offline: true, retry: { retries: 0 } }, { get: () => 'test-key' })
      const r = await labelWithAgent(p, clusters, details, { maxCalls: 10, maxTokens: 100_000 })
      expect(r.error).toBeNull()
      expect(r.finalized).toBe(true)
      expect([...r.labels.values()].map((l) => l.title)).toEqual(['Refunds', 'Password resets', 'Late deliveries'])
      const reqs = gm.generateRequests().map((q) => q.body as { tools: { functionDeclarations: { name: string }[] }[]; contents: { role: string; parts: Record<string, unknown>[] }[] })
      expect(reqs).toHaveLength(3)
      expect(reqs[0]!.tools[0]!.functionDeclarations.map((f) => f.name)).toContain('bulk_set_labels')
      // The overview went back as a functionResponse after the model's functionCall.
      expect(reqs[1]!.contents.slice(-2).map((c) => [c.role, Object.keys(c.parts[0]!)[0]])).toEqual([
        ['model', 'functionCall'],
        ['user', 'functionResponse'],
      ])
      expect(reqs[1]!.contents.at(-1)!.parts[0]).toMatchObject({ functionResponse: { name: 'get_clusters_overview', response: { result: expect.any(Array) } } })
    } finally {
      await gm.close()
    }
  })
})
