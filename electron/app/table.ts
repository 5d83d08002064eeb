// Every capability, by name. The names are the renderer's channels where the renderer has one.
import { imports } from './imports'
import { sessions } from './sessions'
import { summaries } from './summaries'
import { system } from './system'
import { traceSummaries } from './trace-summaries'
import { traces } from './traces'

export const capabilities = { ...system, ...sessions, ...imports, ...summaries, ...traces, ...traceSummaries }

export type Capabilities = typeof capabilities
export type Name = keyof Capabilities
