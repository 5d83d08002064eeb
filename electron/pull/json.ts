// A JSON answer from PostHog's API; anything else (an HTML page: a link to some other app) is not
// worth retrying, so it is a UserError at once.
import { UserError } from '../errors'

export async function jsonBody(res: Response, touch: () => void): Promise<unknown> {
  const text = await res.text()
  touch()
  try {
    return JSON.parse(text) as unknown
  } catch {
    const host = res.url ? new URL(res.url).host : 'The server'
    throw new UserError(`${host} did not answer like PostHog's API (not JSON): is the link from a PostHog instance?`)
  }
}
