// LLM traces: the list, one trace with its tree, its L001: text.
import { z } from 'zod'
import { api } from '../../shared/api'
import { NotFoundError } from '../errors'
import { spanTree, traceText } from '../traces'
import { query } from './capability'

export const traces = {
  /** Every matching row unless `limit` is given. */
  'traces:list': query({
    input: z.object({
      q: z.string().max(500).optional(),
      session: z.string().max(500).optional(),
      sort: z.enum(['start_ms', 'spans', 'name']).default('start_ms'),
      dir: z.enum(['asc', 'desc']).default('desc'),
      limit: z.number().int().min(1).optional(),
      offset: z.number().int().min(0).default(0),
    }),
    run: ({ store }, { limit, ...q }) => store.traces.list({ ...q, limit: limit ?? -1 }),
  }),
  'traces:get': query({
    input: api['traces:get'].req,
    run: ({ store }, { id }) => {
      const trace = store.spans.detail(id)
      if (!trace) throw new NotFoundError('trace', id)
      return { trace, tree: spanTree(trace).map((n) => ({ span_id: n.span.span_id, depth: n.depth })) }
    },
  }),
  'traces:text': query({
    input: api['traces:text'].req,
    run: ({ store }, r) => {
      const text = traceText(store, r.id, { maxLines: r.max_lines })
      if (!text) throw new NotFoundError('trace', r.id)
      return text
    },
  }),
}
