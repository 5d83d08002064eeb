// The session filter language, shared by the Library and `sightline sessions --filter`. This file
// parses text into a tree; electron/store/session-filter.ts turns the tree into SQL.
//
//   expr      := or
//   or        := and ('or' and)*
//   and       := unary ('and' unary)*
//   unary     := 'not' unary | '(' expr ')' | predicate
//   predicate := 'did' EVENT [where]
//              | 'error' 'within' DURATION 'after' EVENT [where]
//              | ('duration' | 'active') CMP DURATION
//              | ('errors' | 'events') CMP NUMBER
//              | 'visited' VALUE
//   where     := 'where' cond ('and' cond)*        (binds tighter than a boolean 'and')
//   cond      := PROPERTY OP VALUE
//   OP        := '=' | '!=' | 'contains' | '>' | '<' | '>=' | '<='
//   DURATION  := NUMBER ('ms' | 's' | 'm' | 'h')?   (seconds when no unit)
//
// EVENT and VALUE are bare words or "quoted strings". A `where` clause keeps taking `PROP OP VALUE`
// conditions after 'and'; to combine with another predicate, wrap the predicate in parentheses.
import { UserError } from '../errors'

import type { Cmp, Cond, Filter, Op } from '../../shared/session-filter'

export type { Cmp, Cond, Filter, Op }

interface Token {
  text: string
  quoted: boolean
  at: number
}

const OPS = ['>=', '<=', '!=', '=', '>', '<']

function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')') {
      out.push({ text: c, quoted: false, at: i++ })
    } else if (c === '"' || c === "'") {
      const start = i++
      let text = ''
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++
        text += src[i++]
      }
      if (i >= src.length) throw filterError(src, start, `unclosed ${c}`)
      i++
      out.push({ text, quoted: true, at: start })
    } else if (OPS.some((op) => src.startsWith(op, i))) {
      const op = OPS.find((o) => src.startsWith(o, i))!
      out.push({ text: op, quoted: false, at: i })
      i += op.length
    } else {
      const start = i
      while (i < src.length && !/[\s()"'<>=!]/.test(src[i]!)) i++
      if (i === start) throw filterError(src, i, `unexpected ${JSON.stringify(src[i])}`)
      out.push({ text: src.slice(start, i), quoted: false, at: start })
    }
  }
  return out
}

function filterError(src: string, at: number, problem: string): UserError {
  return new UserError(`Filter error at column ${at + 1}: ${problem}.\n  ${src}\n  ${' '.repeat(at)}^`, 'invalid_request', [
    'See "Session filters" in the README for the grammar, e.g.: did $rageclick and duration > 30s',
  ])
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

export function parseFilter(src: string): Filter {
  const tokens = tokenize(src)
  let pos = 0
  const peek = () => tokens[pos]
  const word = (t: Token | undefined) => (t && !t.quoted ? t.text.toLowerCase() : undefined)
  const fail = (problem: string): never => {
    throw filterError(src, peek()?.at ?? src.length, problem)
  }
  const failAt = (t: Token, problem: string): never => {
    throw filterError(src, t.at, problem)
  }
  const next = (what: string): Token => tokens[pos++] ?? fail(`expected ${what} at the end`)
  const expect = (w: string) => {
    if (word(peek()) !== w) fail(`expected '${w}'`)
    pos++
  }

  const number = (): number => {
    const t = next('a number')
    const n = Number(t.text)
    if (t.quoted || !Number.isFinite(n)) failAt(t, `expected a number, not ${JSON.stringify(t.text)}`)
    return n
  }
  const durationMs = (): number => {
    const t = next('a duration like 30s or 2m')
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/i.exec(t.text)
    if (t.quoted || !m) failAt(t, `expected a duration like 30s or 2m, not ${JSON.stringify(t.text)}`)
    return Math.round(Number(m![1]) * UNITS[(m![2] ?? 's').toLowerCase()]!)
  }
  const value = (): string | number => {
    const t = next('a value')
    if (!t.quoted && (t.text === '(' || t.text === ')' || OPS.includes(t.text))) failAt(t, 'expected a value')
    return !t.quoted && /^-?\d+(\.\d+)?$/.test(t.text) ? Number(t.text) : t.text
  }
  const name = (what: string): string => {
    const t = next(what)
    if (!t.quoted && (t.text === '(' || t.text === ')' || OPS.includes(t.text))) failAt(t, `expected ${what}`)
    return t.text
  }
  const cmp = (): Cmp => {
    const t = next('a comparison (=, !=, >, <, >=, <=)')
    if (t.quoted || !OPS.includes(t.text)) failAt(t, 'expected a comparison (=, !=, >, <, >=, <=)')
    return t.text as Cmp
  }
  const where = (): Cond[] => {
    if (word(peek()) !== 'where') return []
    pos++
    const conds: Cond[] = []
    do {
      const property = name('a property name')
      const opTok = next('an operator')
      const op = (word(opTok) === 'contains' ? 'contains' : opTok.text) as Op
      if (op !== 'contains' && (opTok.quoted || !OPS.includes(op))) failAt(opTok, 'expected an operator (=, !=, contains, >, <, >=, <=)')
      conds.push({ property, op, value: value() })
      // 'and' followed by PROP OP … continues the where clause; anything else ends it.
      if (word(peek()) !== 'and' || !isCondAhead()) return conds
      pos++
    } while (pos < tokens.length)
    return conds
  }
  const isCondAhead = () => {
    const a = tokens[pos + 1]
    const b = tokens[pos + 2]
    if (!a || !b || (!a.quoted && ['(', ')', 'not', 'did', 'error', 'duration', 'active', 'errors', 'events', 'visited'].includes(a.text.toLowerCase()))) return false
    return !b.quoted && (OPS.includes(b.text) || b.text.toLowerCase() === 'contains')
  }

  const predicate = (): Filter => {
    const w = word(peek())
    if (w === 'did') {
      pos++
      return { kind: 'did', event: name('an event name'), where: where() }
    }
    if (w === 'error') {
      pos++
      expect('within')
      const within_ms = durationMs()
      expect('after')
      return { kind: 'error_after', event: name('an event name'), where: where(), within_ms }
    }
    if (w === 'duration' || w === 'active') {
      pos++
      return { kind: 'measure', measure: w, op: cmp(), value: durationMs() }
    }
    if (w === 'errors' || w === 'events') {
      pos++
      return { kind: 'measure', measure: w, op: cmp(), value: number() }
    }
    if (w === 'visited') {
      pos++
      return { kind: 'visited', url: String(value()) }
    }
    return fail(peek() ? `expected did, error, duration, active, errors, events, visited, not or '(' — not ${JSON.stringify(peek()!.text)}` : 'expected a condition')
  }
  const unary = (): Filter => {
    if (word(peek()) === 'not') {
      pos++
      return { kind: 'not', item: unary() }
    }
    if (peek()?.text === '(' && !peek()!.quoted) {
      pos++
      const inner = or()
      if (peek()?.text !== ')') fail("expected ')'")
      pos++
      return inner
    }
    return predicate()
  }
  const chain = (kind: 'and' | 'or', sub: () => Filter): Filter => {
    const items = [sub()]
    while (word(peek()) === kind) {
      pos++
      items.push(sub())
    }
    return items.length === 1 ? items[0]! : { kind, items }
  }
  const and = () => chain('and', unary)
  const or = (): Filter => chain('or', and)

  if (tokens.length === 0) fail('the filter is empty')
  const tree = or()
  if (pos < tokens.length) fail(`unexpected ${JSON.stringify(peek()!.text)}`)
  return tree
}
