import type { ApiError, ErrorCode } from '../shared/api'

/**
 * An error the user can act on (bad file, unknown id, missing key). Its message is shown as is,
 * so it names the thing and the problem; `actions` say what to do.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'user_error',
    readonly actions: string[] = [],
  ) {
    super(message)
    this.name = 'UserError'
  }
}

export class NotFoundError extends UserError {
  constructor(what: string, id: string) {
    super(`No ${what} with id ${JSON.stringify(id)}.`, 'not_found')
  }
}

/** The work was cancelled by the user; not a failure. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled')
    this.name = 'CancelledError'
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError()
}

/** Turns anything thrown into the contract's error shape, hiding internals of unexpected errors. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof UserError) return { code: e.code, message: e.message, ...(e.actions.length ? { actions: e.actions } : {}) }
  if (e instanceof Error && e.name === 'DbFromFutureError') return { code: 'user_error', message: e.message }
  const message = e instanceof Error ? e.message : String(e)
  return { code: 'internal', message: `Internal error: ${message}` }
}
