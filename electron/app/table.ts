// Every capability, by name. The names are the renderer's channels where the renderer has one.
import { clusterExplorer } from './cluster-explorer'
import { clips } from './clips'
import { clusters } from './clusters'
import { imports } from './imports'
import { pulls } from './pulls'
import { sessions } from './sessions'
import { summaries } from './summaries'
import { system } from './system'
import { traceSummaries } from './trace-summaries'
import { traces } from './traces'
import { verify } from './verify'

export const capabilities = { ...clips, ...system, ...sessions, ...imports, ...pulls, ...summaries, ...traces, ...traceSummaries, ...clusters, ...clusterExplorer, ...verify }

export type Capabilities = typeof capabilities
export type Name = keyof Capabilities
