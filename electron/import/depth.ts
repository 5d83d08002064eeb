// Deeply nested values (a 100k-deep `$ai_input`, a 10k-deep OTLP attribute) parse fine, but
// JSON.stringify and every recursive walk after it overflow the stack ("Maximum call stack size
// exceeded", no place). Such an item is reported with its place and depth instead.

/** Nesting the error names; deeper values may still import when the stack allows. */
export const MAX_DEPTH = 1000

export const isStackOverflow = (e: unknown): boolean => e instanceof RangeError && /call stack/i.test(e.message)

/** Index in a JSON text where nesting first goes deeper than `max` (brackets in strings ignored), or -1. */
export function depthExceededAt(text: string, max = MAX_DEPTH): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return -1
}

/** Whether a parsed value nests deeper than `max` (walked without recursion). */
export function deeperThan(value: unknown, max = MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [v, d] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (d + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1])
  }
  return false
}

export const TOO_DEEP = `nesting deeper than ${MAX_DEPTH} levels`
