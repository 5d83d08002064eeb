// Token estimates for prompts: OpenAI's o200k_base encoding (gpt-4o and later). Other providers
// tokenize differently, within roughly ±15 %; estimates are labelled as such wherever shown.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base'

export function estimateTokens(text: string): number {
  return countTokens(text)
}
