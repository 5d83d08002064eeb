// Errors of the network layer that the user can act on. Neither ever carries a key.
import { UserError } from '../errors'

const ONLY_THIS_MACHINE = 'Only this machine (localhost, 127.0.0.1, ::1) is allowed.'

/** Offline mode refused a request (or a redirect hop) before any connection to it was made. */
export class OfflineError extends UserError {
  constructor(
    readonly host: string,
    opts: { redirectedFrom?: string | undefined; actions?: string[] | undefined } = {},
  ) {
    super(
      opts.redirectedFrom
        ? `Offline mode is on: ${opts.redirectedFrom} redirected to ${host}, which is not this machine; the redirect was not followed. ${ONLY_THIS_MACHINE}`
        : `Offline mode is on: refusing to send anything to ${host}. ${ONLY_THIS_MACHINE}`,
      'user_error',
      opts.actions ?? ['Turn offline mode off in Settings (or pass --no-offline) to allow hosts other than this machine'],
    )
    this.name = 'OfflineError'
  }
}

/** No key for a service that needs one. */
export class MissingKeyError extends UserError {
  constructor(service: string, env: string) {
    super(`No API key for ${service}: set ${env}.`, 'user_error', [`Set ${env} in the environment, or store the key in Settings (desktop app)`])
    this.name = 'MissingKeyError'
  }
}
