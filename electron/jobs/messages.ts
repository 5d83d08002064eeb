// Messages between a job and its worker thread. Errors travel as values, never as throws.
import type { ApiError } from '../../shared/api'
import type { Progress } from '../../shared/model'

export type ToWorker = { type: 'start'; task: string; input: unknown } | { type: 'cancel' }

export type FromWorker = { type: 'progress'; progress: Progress } | { type: 'done'; result: unknown } | { type: 'error'; error: ApiError; cancelled: boolean }
