// A PostHog replay link → the API host, project and recording it names. Links as PostHog's app
// shows them: `/project/<id>/replay/<session_id>` (us/eu cloud, self-hosted, with or without
// `?t=`), any page of a project with `?sessionRecordingId=` or `#sessionRecordingId=` (recordings
// list, playlists, persons, events), `/environments/<id>/...`, the API URL itself; links as
// posthog-js builds them, `/project/<project token>/replay/<session_id>[?t=…]`
// (PostHog/posthog-js packages/browser/src/posthog-core.ts get_session_replay_url: the token is the
// project's `api_token`, which the pull resolves to an id, project.ts); and `/replay/<session_id>`
// without a project (the key's current project, PostHog's `@current`).
import { UserError } from '../errors'

export interface ReplayRef {
  /** Where the API lives: the link's origin (app.posthog.com is us.posthog.com). */
  apiBase: string
  /** The project as the link names it: a numeric id, a project token (`phc_…`), or `@current` (none named). */
  project: ProjectRef
  sessionId: string
  /** The link in one canonical form: what results and the source row call the pull. */
  canonical: string
}

export type ProjectRef = { kind: 'id'; id: string } | { kind: 'token'; token: string } | { kind: 'current' }

/** Session ids are UUIDs in practice; anything of these characters is accepted, nothing that could break a URL or a query. */
const SESSION_ID = /^[\w-]{1,200}$/
const PROJECT_ID = /^\d{1,20}$/
/** A project token (`phc_…`, or the shorter tokens of newer projects): letters, digits, `_` and `-`, not all digits. */
const PROJECT_TOKEN = /^(?!\d+$)[\w-]{8,200}$/
/** Pages under /replay/ that are not recordings. */
const REPLAY_PAGES = new Set(['home', 'playlists', 'settings', 'recent', 'saved', 'templates', 'file-playback', 'kiosk', 'collections', 'watch-history'])

const bad = (why: string) =>
  new UserError(`Not a PostHog replay link: ${why}.`, 'invalid_request', [
    'Copy the link from the recording in PostHog, e.g. https://us.posthog.com/project/12345/replay/<session id>',
  ])

export const canonicalLink = (apiBase: string, project: ProjectRef, sessionId: string) =>
  `${apiBase}${project.kind === 'id' ? `/project/${project.id}` : project.kind === 'token' ? `/project/${project.token}` : ''}/replay/${sessionId}`

export function parseReplayUrl(raw: string): ReplayRef {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    throw bad('it is not a URL')
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad(`${u.protocol} is not http(s)`)
  let parts: string[]
  try {
    parts = u.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p))
  } catch {
    throw bad('its path is not valid URL encoding')
  }
  if (parts[0] === 'shared' || parts[0] === 'embedded') {
    // A shared link's token reads the recording and its snapshots (session_recording_api.py
    // sharing_enabled_actions) but not the query API, so the session's events cannot be fetched.
    throw new UserError(
      "A shared replay link (/shared/<token>) gives access to the recording but not to its events, and it names neither the project nor the session, so Sightline cannot pull it. Open the recording in PostHog (logged in) and copy that link, or export it to a file from the shared page and import that.",
      'invalid_request',
      ['Copy the link of the recording from PostHog while logged in: https://<host>/project/<id>/replay/<session id>'],
    )
  }
  // /project/<id or token>/…, /environments/<id>/…, /api/projects/<id>/…, /api/environments/<id>/…
  const at = parts.findIndex((p, i) => (p === 'project' || p === 'projects' || p === 'environments') && (PROJECT_ID.test(parts[i + 1] ?? '') || (p === 'project' && PROJECT_TOKEN.test(parts[i + 1] ?? ''))))
  let project: ProjectRef
  if (at >= 0) {
    const named = parts[at + 1]!
    project = PROJECT_ID.test(named) ? { kind: 'id', id: named } : { kind: 'token', token: named }
  } else if (parts[0] === 'replay') {
    project = { kind: 'current' }
  } else {
    throw bad('it names no project (/project/<id>/…) and is not a /replay/ link')
  }
  const hash = new URLSearchParams(u.hash.replace(/^#/, ''))
  let sessionId = u.searchParams.get('sessionRecordingId') ?? hash.get('sessionRecordingId')
  if (!sessionId) {
    const rest = at >= 0 ? parts.slice(at + 2) : parts
    const r = rest.findIndex((p) => p === 'replay' || p === 'recordings' || p === 'session_recordings')
    const candidate = r >= 0 ? rest[r + 1] : undefined
    if (candidate && !REPLAY_PAGES.has(candidate)) sessionId = candidate
  }
  if (!sessionId) throw bad('it names no recording (/replay/<session id> or ?sessionRecordingId=)')
  if (!SESSION_ID.test(sessionId)) throw bad('its recording id has characters a session id cannot have')
  const host = u.hostname === 'app.posthog.com' ? 'us.posthog.com' : u.hostname === 'eu.i.posthog.com' ? 'eu.posthog.com' : u.hostname === 'us.i.posthog.com' ? 'us.posthog.com' : u.hostname
  const apiBase = `${u.protocol}//${host}${u.port ? `:${u.port}` : ''}`
  return { apiBase, project, sessionId, canonical: canonicalLink(apiBase, project, sessionId) }
}

export interface ProjectLink {
  apiBase: string
  project: ProjectRef
  /** The project's page, as results name it. */
  canonical: string
}

/** A PostHog project by any of its pages (`https://us.posthog.com/project/12345/replay/home`, `…/environments/12345`, the API path). */
export function parseProjectUrl(raw: string): ProjectLink {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    throw new UserError(`Not a PostHog project link: ${JSON.stringify(raw)} is not a URL.`, 'invalid_request', ['Give the project as a link to any of its pages, e.g. https://us.posthog.com/project/12345'])
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UserError(`Not a PostHog project link: ${u.protocol} is not http(s).`, 'invalid_request')
  const parts = u.pathname.split('/').filter(Boolean)
  const at = parts.findIndex((p, i) => (p === 'project' || p === 'projects' || p === 'environments') && PROJECT_ID.test(parts[i + 1] ?? ''))
  if (at < 0) {
    throw new UserError(`Not a PostHog project link: ${raw} names no project id (/project/<id>).`, 'invalid_request', ['Copy the address of any page of the project in PostHog, e.g. https://us.posthog.com/project/12345/replay/home'])
  }
  const host = u.hostname === 'app.posthog.com' || u.hostname === 'us.i.posthog.com' ? 'us.posthog.com' : u.hostname === 'eu.i.posthog.com' ? 'eu.posthog.com' : u.hostname
  const apiBase = `${u.protocol}//${host}${u.port ? `:${u.port}` : ''}`
  const id = parts[at + 1]!
  return { apiBase, project: { kind: 'id', id }, canonical: `${apiBase}/project/${id}` }
}

/** PostHog's page of an LLM trace (llm-analytics/traces/<id>). */
export const traceLink = (apiBase: string, projectId: string, traceId: string) => `${apiBase}/project/${projectId}/llm-analytics/traces/${encodeURIComponent(traceId)}`
