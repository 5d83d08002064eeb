// Text that is not UTF-8, told apart from binary so the error can say what to do about it.

/**
 * UTF-16 by its byte-order mark, or without one by JSON/CSV text's ASCII start with a zero byte
 * beside every character (`[\0{\0` is UTF-16LE). Editors on Windows save "Unicode" text this way.
 */
export function utf16Of(head: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'UTF-16LE'
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE'
  const n = Math.min(head.length, 16) & ~1
  if (n < 4) return null
  const ascii = (b: number) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f)
  let le = true
  let be = true
  for (let i = 0; i < n; i += 2) {
    le &&= ascii(head[i]!) && head[i + 1] === 0
    be &&= head[i] === 0 && ascii(head[i + 1]!)
  }
  return le ? 'UTF-16LE' : be ? 'UTF-16BE' : null
}

/**
 * Offset of the first byte that breaks UTF-8 in `buf`, or -1. `skipLead` continuation bytes at the
 * start belong to a character begun in the previous chunk. Overlong forms and surrogates count as
 * invalid, as TextDecoder's fatal mode has them.
 */
export function invalidUtf8At(buf: Uint8Array, skipLead = false): number {
  let i = 0
  if (skipLead) while (i < 3 && i < buf.length && (buf[i]! & 0xc0) === 0x80) i++
  while (i < buf.length) {
    const b = buf[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (b >= 0xc2 && b <= 0xdf) need = 1
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      if (b === 0xe0) lo = 0xa0
      if (b === 0xed) hi = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      if (b === 0xf0) lo = 0x90
      if (b === 0xf4) hi = 0x8f
    } else return i
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) return -1 // continues in the next chunk
      const c = buf[i + k]!
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i
    }
    i += need + 1
  }
  return -1
}
