// A PostHog replay link → the API host, project and recording it names. Links as PostHog's app
// shows them: `/project/<id>/replay/<session_id>` (us/eu cloud, self-hosted, with or without
// `?t=`), any page of a project with `?sessionRecordingId=` or `#sessionRecordingId=` (recordings
// list, playlists, persons, events), `/environments/<id>/...`, and the API URL itself.
import { UserError } from '../errors'

export interface ReplayRef {
  /** Where the API lives: the link's origin (app.posthog.com is us.posthog.com). */
  apiBase: string
  projectId: string
  sessionId: string
  /** The link in one canonical form: what results and the source row call the pull. */
  canonical: string
}

/** Session ids are UUIDs in practice; anything of these characters is accepted, nothing that could break a URL or a query. */
const SESSION_ID = /^[\w-]{1,200}$/
const PROJECT_ID = /^\d{1,20}$/

const bad = (why: string) =>
  new UserError(`Not a PostHog replay link: ${why}.`, 'invalid_request', [
    'Copy the link from the recording in PostHog, e.g. https://us.posthog.com/project/12345/replay/<session id>',
  ])

export function parseReplayUrl(raw: string): ReplayRef {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    throw bad('it is not a URL')
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad(`${u.protocol} is not http(s)`)
  const parts = u.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p))
  if (parts[0] === 'shared' || parts[0] === 'embedded') {
    throw new UserError('A shared replay link names neither the project nor the recording, so it cannot be pulled.', 'invalid_request', [
      'Open the recording in PostHog (logged in) and copy that link: https://<host>/project/<id>/replay/<session id>',
    ])
  }
  // /project/<id>/…, /environments/<id>/…, /api/projects/<id>/…, /api/environments/<id>/…
  const at = parts.findIndex((p, i) => (p === 'project' || p === 'projects' || p === 'environments') && PROJECT_ID.test(parts[i + 1] ?? ''))
  if (at < 0) throw bad('it names no project (/project/<id>/…)')
  const projectId = parts[at + 1]!
  const hash = new URLSearchParams(u.hash.replace(/^#/, ''))
  let sessionId = u.searchParams.get('sessionRecordingId') ?? hash.get('sessionRecordingId')
  if (!sessionId) {
    const rest = parts.slice(at + 2)
    const r = rest.findIndex((p) => p === 'replay' || p === 'recordings' || p === 'session_recordings')
    const candidate = r >= 0 ? rest[r + 1] : undefined
    // /replay/home, /replay/playlists, /replay/settings are pages, not recordings
    if (candidate && !['home', 'playlists', 'settings', 'recent', 'saved', 'templates'].includes(candidate)) sessionId = candidate
  }
  if (!sessionId) throw bad('it names no recording (/replay/<session id> or ?sessionRecordingId=)')
  if (!SESSION_ID.test(sessionId)) throw bad('its recording id has characters a session id cannot have')
  const host = u.hostname === 'app.posthog.com' ? 'us.posthog.com' : u.hostname === 'eu.i.posthog.com' ? 'eu.posthog.com' : u.hostname === 'us.i.posthog.com' ? 'us.posthog.com' : u.hostname
  const apiBase = `${u.protocol}//${host}${u.port ? `:${u.port}` : ''}`
  return { apiBase, projectId, sessionId, canonical: `${apiBase}/project/${projectId}/replay/${sessionId}` }
}
