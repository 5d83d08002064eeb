import type { Database } from 'better-sqlite3'
import init from './0010-init'
import sessionEvents from './0020-session-events'
import traces from './0030-traces'
import summaries from './0040-summaries'
import sessionSortIndexes from './0050-session-sort-indexes'
import windowKeysVersion from './0060-window-keys-version'
import chunkReactions from './0070-chunk-reactions'
import jobsOwner from './0080-jobs-owner'
import traceSummaries from './0090-trace-summaries'
import pullSync from './0110-pull-sync'
import clusterRuns from './0120-cluster-runs'
import clipsVerdicts from './0130-clips-verdicts'
import summaryVerdicts from './0140-summary-verdicts'
import pullSyncOverlap from './0150-pull-sync-overlap'
import clusterPointsPoint from './0160-cluster-points-point'
import errorsWithoutNoise from './0170-errors-without-noise'
import clusterTopicOutliers from './0180-cluster-topic-outliers'

/**
 * Ordered schema steps; `PRAGMA user_version` holds the last one applied. Steps go in tens so a
 * fix can slot in between. Append only: never edit a step that has shipped.
 */
export const migrations: { version: number; name: string; up: (db: Database) => void }[] = [
  { version: 10, name: 'init', up: init },
  { version: 20, name: 'session-events', up: sessionEvents },
  { version: 30, name: 'traces', up: traces },
  { version: 40, name: 'summaries', up: summaries },
  { version: 50, name: 'session-sort-indexes', up: sessionSortIndexes },
  { version: 60, name: 'window-keys-version', up: windowKeysVersion },
  { version: 70, name: 'chunk-reactions', up: chunkReactions },
  { version: 80, name: 'jobs-owner', up: jobsOwner },
  { version: 90, name: 'trace-summaries', up: traceSummaries },
  { version: 110, name: 'pull-sync', up: pullSync },
  { version: 120, name: 'cluster-runs', up: clusterRuns },
  { version: 130, name: 'clips-verdicts', up: clipsVerdicts },
  { version: 140, name: 'summary-verdicts', up: summaryVerdicts },
  { version: 150, name: 'pull-sync-overlap', up: pullSyncOverlap },
  { version: 160, name: 'cluster-points-point', up: clusterPointsPoint },
  { version: 170, name: 'errors-without-noise', up: errorsWithoutNoise },
  { version: 180, name: 'cluster-topic-outliers', up: clusterTopicOutliers },
]

export const LATEST_VERSION = migrations.at(-1)!.version

