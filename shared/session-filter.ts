// The tree of a parsed session filter (README, "Session filters"): electron/sessions/filter.ts
// parses text into it and electron/store/session-filter.ts turns it into SQL, so it lives where both
// can see it without the store knowing a stage.
export type Op = '=' | '!=' | 'contains' | '>' | '<' | '>=' | '<='
export type Cmp = Exclude<Op, 'contains'>

export interface Cond {
  property: string
  op: Op
  value: string | number
}

export type Filter =
  | { kind: 'and' | 'or'; items: Filter[] }
  | { kind: 'not'; item: Filter }
  | { kind: 'did'; event: string; where: Cond[] }
  | { kind: 'error_after'; event: string; where: Cond[]; within_ms: number }
  | { kind: 'measure'; measure: 'duration' | 'active' | 'errors' | 'events'; op: Cmp; value: number }
  | { kind: 'visited'; url: string }
