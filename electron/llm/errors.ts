// What can go wrong talking to a model, as errors the user can act on. None of them ever carries
// a key: messages are built from our own words plus the server's status and short reason.
import { UserError } from '../errors'

export { OfflineError, MissingKeyError } from '../net'

/** What to do about an offline refusal of a model request. */
export const MODEL_OFFLINE_ACTIONS = [
  'Use a model on this machine: --base-url http://127.0.0.1:11434/v1 (Ollama, llama.cpp, LM Studio, vLLM)',
  'Or turn offline mode off in Settings (or pass --no-offline) to use a cloud model',
]

/** The server kept failing (429, 5xx, deadlines, cut-off or invalid bodies) after every retry, or refused the request. */
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

/** The output cap was reached with no answer: the model spent it on reasoning / thinking. */
export class ReasoningBudgetError extends ModelOutputError {
  constructor(model: string, cap: number, reasoningTokens: number | null) {
    super(
      `${model} spent its output budget on reasoning and wrote no answer (${reasoningTokens !== null ? `${reasoningTokens} of ` : ''}${cap} output tokens went to reasoning). Raise the output cap, or use a lower reasoning effort / thinking budget or a non-reasoning model.`,
      '',
    )
    this.name = 'ReasoningBudgetError'
  }
}

/** A part the provider's API cannot take (video to OpenAI chat completions: send frames as images). */
export class UnsupportedPartError extends UserError {
  constructor(provider: string, part: string) {
    super(`${provider} cannot take ${part} input through this interface.`, 'user_error', part === 'video' ? ['Send the clip as frames (image parts), or use Gemini, which takes video'] : [])
    this.name = 'UnsupportedPartError'
  }
}
