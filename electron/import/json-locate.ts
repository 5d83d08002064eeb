// Where JSON.parse failed: V8's messages often give no position (and quote the input, which may
// be personal data). Only run on the error path, so a plain iterative validator is fast enough.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const LITERAL = /true|false|null/y

/** Index of the first character that makes `text` invalid JSON (text.length: it ends early), or -1. */
export function locateJsonError(text: string): number {
  // Iterative: a stack of open containers ('{' or '['), so absurd nesting cannot overflow.
  const stack: string[] = []
  let i = 0
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
      i++
    }
  }
  const string = (): boolean => {
    i++ // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return true
      }
      if (c < 0x20) return false
      if (c === 0x5c) {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else return false
      } else i++
    }
    return false
  }
  const scalar = (): boolean => {
    const c = text[i]
    if (c === '"') return string()
    for (const re of [NUMBER, LITERAL]) {
      re.lastIndex = i
      const m = re.exec(text)
      if (m && m[0].length) {
        i += m[0].length
        return true
      }
    }
    return false
  }
  // States: expecting a value; after a value (',' or a closer); after '{' or ',' in an object (a key).
  let want: 'value' | 'after' | 'key' | 'first-key' | 'first-value' = 'value'
  for (;;) {
    ws()
    if (i >= text.length) return stack.length === 0 && want === 'after' ? -1 : text.length
    const c = text[i]!
    const top = stack.at(-1)
    if (want === 'after') {
      if (top === undefined) return i // more after the value
      if (c === ',') {
        i++
        want = top === '{' ? 'key' : 'value'
      } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        i++
        stack.pop()
      } else return i
      continue
    }
    if (want === 'key' || want === 'first-key') {
      if (c === '}' && want === 'first-key') {
        i++
        stack.pop()
        want = 'after'
        continue
      }
      if (c !== '"' || !string()) return i
      ws()
      if (text[i] !== ':') return i
      i++
      want = 'value'
      continue
    }
    if (c === ']' && want === 'first-value') {
      i++
      stack.pop()
      want = 'after'
      continue
    }
    if (c === '{' || c === '[') {
      stack.push(c)
      i++
      want = c === '{' ? 'first-key' : 'first-value'
      continue
    }
    if (!scalar()) return i
    want = 'after'
  }
}
