import type { ApiError, ErrorCode } from '../shared/api'

/** No error message is longer than this: one is shown, stored in the jobs table and printed. */
export const MAX_ERROR_CHARS = 2000

/** Cuts a message to MAX_ERROR_CHARS, saying so (a 30 MB file once made a 31 MB message). */
export function capMessage(text: string, max = MAX_ERROR_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 40)}… (message cut, ${text.length} characters)`
}

/** A name from the input (a column, a key) as an error shows it: at most `max` characters. */
export function shortName(name: string, max = 40): string {
  return name.length <= max ? name : `${name.slice(0, max)}… (${name.length} characters)`
}

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
    super(capMessage(message))
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
  if (e instanceof UserError) return { code: e.code, message: capMessage(e.message), ...(e.actions.length ? { actions: e.actions } : {}) }
  if (e instanceof Error && e.name === 'DbFromFutureError') return { code: 'user_error', message: e.message }
  const message = e instanceof Error ? e.message : String(e)
  return { code: 'internal', message: capMessage(`Internal error: ${message}`) }
}
