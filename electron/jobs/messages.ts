// Messages between a job and its worker thread. Errors travel as values, never as throws.
import type { ApiError } from '../../shared/api'

export type ToWorker = { type: 'start'; task: string; input: unknown } | { type: 'cancel' }

export type FromWorker =
  | { type: 'progress'; fraction: number | null; message?: string | undefined }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: ApiError; cancelled: boolean }
