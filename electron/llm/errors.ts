// What can go wrong talking to a model, as errors the user can act on. None of them ever carries
// a key: messages are built from our own words plus the server's status and short reason.
import { UserError } from '../errors'

/** Offline mode refused a request before any connection was made. */
export class OfflineError extends UserError {
  constructor(readonly host: string) {
    super(`Offline mode is on: refusing to send anything to ${host}. Only this machine (localhost, 127.0.0.1, ::1) is allowed.`, 'user_error', [
      'Use a model on this machine: --base-url http://127.0.0.1:11434/v1 (Ollama, llama.cpp, LM Studio, vLLM)',
      'Or turn offline mode off in Settings (or pass --no-offline) to use a cloud model',
    ])
    this.name = 'OfflineError'
  }
}

export class MissingKeyError extends UserError {
  constructor(provider: string, env: string) {
    super(`No API key for ${provider}: set ${env}.`, 'user_error', [`Set ${env} in the environment, or store the key in Settings (desktop app)`])
    this.name = 'MissingKeyError'
  }
}

/** The server kept failing (429, 5xx, timeouts) after every retry, or refused the request. */
export class ModelRequestError extends UserError {
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message)
    this.name = 'ModelRequestError'
  }
}

/** The model answered, but not with valid JSON for the schema (or was cut off). Keeps the raw text. */
export class ModelOutputError extends UserError {
  constructor(
    message: string,
    readonly raw: string,
  ) {
    super(message)
    this.name = 'ModelOutputError'
  }
}

export class UnsupportedPartError extends UserError {
  constructor(provider: string, part: string) {
    super(`${provider} cannot take ${part} input through this interface.`)
  }
}
