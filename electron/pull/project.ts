// The project a replay link names, as the API path of its endpoints. posthog-js writes the project's
// token into its links (/project/<api_token>/replay/<id>); the API wants the id. The token is
// looked up in the projects the key can see: GET /api/projects/ (ProjectViewSet list, serialized
// with api_token by posthog/api/shared.py ProjectBackwardCompatBasicSerializer; paged by DRF's
// `next`), then the environments (GET /api/environments/, each with its own api_token). Both need
// the key's project:read scope. A link without a project uses `@current`, which PostHog resolves to
// the key's user's current project (posthog/api/routing.py TeamAndOrgViewSetMixin).
import { UserError } from '../errors'
import type { PosthogHttp } from './http'
import type { ProjectRef } from './url'

export interface ResolvedProject {
  /** `${apiBase}/api/projects/<id or @current>` */
  apiPath: string
  /** The id, when known (not for @current). */
  id: string | null
  /** How errors name it. */
  label: string
}

interface Listing {
  results?: { id?: unknown; api_token?: unknown }[]
  next?: unknown
}

const MAX_PAGES = 50

export async function resolveProject(http: PosthogHttp, apiBase: string, project: ProjectRef, json: (res: Response, touch: () => void) => Promise<unknown>): Promise<ResolvedProject> {
  if (project.kind === 'id') return { apiPath: `${apiBase}/api/projects/${project.id}`, id: project.id, label: `project ${project.id}` }
  if (project.kind === 'current') return { apiPath: `${apiBase}/api/projects/@current`, id: null, label: 'your current PostHog project (the link names none)' }
  const token = project.token
  for (const list of ['projects', 'environments']) {
    let url: string | null = `${apiBase}/api/${list}/?limit=100`
    for (let page = 0; url && page < MAX_PAGES; page++) {
      let body: Listing
      try {
        body = (await http.request(`the ${list} this API key can see (to find the project of token ${token})`, url, { scope: 'api' }, json)) as Listing
      } catch (e) {
        // Older servers have no top-level environments list.
        if (list === 'environments' && e instanceof UserError && e.code === 'not_found') break
        throw e
      }
      const hit = (body.results ?? []).find((p) => p.api_token === token && (typeof p.id === 'number' || typeof p.id === 'string'))
      if (hit) return { apiPath: `${apiBase}/api/projects/${String(hit.id)}`, id: String(hit.id), label: `project ${String(hit.id)}` }
      // follow `next` only on the same host: the key goes nowhere else
      url = typeof body.next === 'string' && new URL(body.next, apiBase).origin === new URL(apiBase).origin ? new URL(body.next, apiBase).href : null
    }
  }
  throw new UserError(
    `The link names its project by token ${token}, and no project or environment this API key can see at ${new URL(apiBase).host} has that token. Use a key of a user in that project's organization, or the link with the project id (https://${new URL(apiBase).host}/project/<id>/replay/<session id>).`,
    'not_found',
  )
}
