// zod → JSON Schema in the strict form structured-output APIs accept: every object closed
// (additionalProperties false) and every property required.
import { z } from 'zod'

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>
  delete s.$schema
  return strict(s) as Record<string, unknown>
}

function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict)
  if (!node || typeof node !== 'object') return node
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, strict(v)])) as Record<string, unknown>
  if (o.type === 'object' && o.properties && typeof o.properties === 'object') {
    o.additionalProperties = false
    o.required = Object.keys(o.properties)
  }
  return o
}

/** Parses the model's text as JSON and validates it; null and the reason when it does not fit. */
export function parseStructured<T>(schema: z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; reason: string } {
  let json: unknown
  try {
    json = JSON.parse(stripFences(text))
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message.slice(0, 120)})` }
  }
  const r = schema.safeParse(json)
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: `JSON does not match the schema: ${z.prettifyError(r.error).slice(0, 300)}` }
}

// Some local models wrap JSON in a Markdown fence even when asked not to.
const stripFences = (t: string) => t.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1')
