// Is this file LLM traces? Decided from the first 256 KB of content, never from the name:
// OTLP markers, Phoenix's span list, PostHog's or Langfuse's trace object, or PostHog events that are all
// LLM events. A PostHog export that mixes LLM events with product events stays a session
// import (its LLM events are then stored as product events).
import { parse } from 'csv-parse/sync'
import type { Container } from '../detect'
import { openSource } from '../source'
import { TASK_EVENT, TASK_FEEDBACK_EVENTS } from './llm-tasks'

const HEAD_BYTES = 256 * 1024
const NEUTRAL = new Set(['survey sent', 'survey shown'])

export type TraceFlavour = 'otlp' | 'phoenix' | 'posthog-trace' | 'langfuse' | 'posthog-events'

export async function sniffTraces(file: string, container: Container, maxDecompressedBytes?: number): Promise<TraceFlavour | null> {
  const head = await readHead(file, maxDecompressedBytes)
  if (container !== 'csv') {
    if (/"(resourceSpans|resource_spans|scopeSpans|scope_spans|resourceLogs|resource_logs|scopeLogs|scope_logs)"\s*:/.test(head)) return 'otlp'
    if (/"context"\s*:\s*\{[^{}]*"span_id"/.test(head) && /"span_kind"/.test(head)) return 'phoenix'
    if (/"observations"\s*:\s*\[/.test(head) && /"(parentObservationId|startTime)"\s*:/.test(head)) return 'langfuse'
    if (/"traceName"\s*:/.test(head) || (/"events"\s*:\s*\[/.test(head) && /"createdAt"\s*:/.test(head) && /"\$ai_/.test(head))) return 'posthog-trace'
    const names = [...head.matchAll(/"event"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!)
    return allLlmEvents(names) ? 'posthog-events' : null
  }
  return allLlmEvents(csvEventNames(head)) ? 'posthog-events' : null
}

export function isLlmEventName(name: string): boolean {
  return name.startsWith('$ai_') || name === TASK_EVENT || TASK_FEEDBACK_EVENTS.has(name)
}

function allLlmEvents(names: string[]): boolean {
  const relevant = names.filter((n) => !NEUTRAL.has(n))
  return relevant.length > 0 && relevant.every(isLlmEventName)
}

function csvEventNames(head: string): string[] {
  let text = head
  // The head may end inside a quoted multi-line cell: retry on a shorter prefix.
  for (let attempt = 0; attempt < 8 && text; attempt++) {
    const cut = text.lastIndexOf('\n')
    text = cut > 0 ? text.slice(0, cut) : text
    try {
      const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][]
      const ix = rows[0]?.findIndex((h) => h === 'event' || h === '*.event') ?? -1
      return ix < 0 ? [] : rows.slice(1).map((r) => r[ix] ?? '')
    } catch {
      text = text.slice(0, Math.floor(text.length * 0.8))
    }
  }
  return []
}

async function readHead(file: string, maxDecompressedBytes?: number): Promise<string> {
  const src = await openSource(file, { hash: false, maxDecompressedBytes })
  const chunks: Buffer[] = []
  let n = 0
  try {
    for await (const c of src.stream as AsyncIterable<Buffer>) {
      chunks.push(c)
      n += c.length
      if (n >= HEAD_BYTES) break
    }
  } catch {
    // Corrupt gzip and the like: the session path reports it with its place.
  } finally {
    src.stream.destroy()
  }
  return Buffer.concat(chunks).subarray(0, HEAD_BYTES).toString('utf8')
}
