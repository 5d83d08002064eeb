// Verification: a flag's moment drawn as a clip and judged by a multimodal model (Gemini gets the
// video, OpenAI-style models frames as images), the verdict stored with the flag, and a summary
// version that takes the verdicts into account. Without a model, a person verifies by hand
// (clips:render + flags:set-status).
import { z } from 'zod'
import { MODEL_CLIP } from '../../shared/clips'
import { VerifyInput, type FlagVerdictResult, type VerifyEstimate, type VerifyJobResult } from '../../shared/verify'
import type { FlagRow } from '../../shared/summary'
import { throwIfAborted, UserError } from '../errors'
import type { LlmConfig } from '../llm'
import { readSettings } from '../settings'
import { job, query, type Deps } from './capability'
import { planClipRun, recordClip } from './clips'
import { currentFlags, sessionOrThrow } from './sessions'

/** The prompt's text around the media, and the answer: rough sizes for the estimate. */
const TEXT_TOKENS = 450
const PER_FRAME_TEXT_TOKENS = 15
const OUTPUT_TOKENS = 300

export const PIXELS_NOTICE =
  'A clip shows what the page showed: names, addresses and anything else on screen. Redaction applies to text, not to pixels. Inputs stay masked as they were recorded; "Mask all text" draws every recorded text as asterisks.'

type Flag = Pick<FlagRow, 'id' | 'title' | 'detail' | 'type' | 'label' | 'time_ms'>

export interface Planned {
  id: string
  llm: LlmConfig & { provider: 'openai' | 'gemini' }
  flags: Flag[]
  mask_text: boolean
  budget_tokens?: number
  max_images?: number
  before_ms?: number
  after_ms?: number
}

/** What to verify and with which model; the estimate reports offline mode, a run refuses it (planRun). */
async function plan({ store }: Deps, r: z.output<typeof VerifyInput>): Promise<Planned> {
  sessionOrThrow(store, r.id)
  const settings = readSettings(store)
  const { resolveConfig } = await import('../llm')
  const llm = resolveConfig(settings, {
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.model ? { model: r.model } : {}),
    ...(r.base_url ? { baseUrl: r.base_url } : {}),
    ...(r.offline !== undefined ? { offline: r.offline } : {}),
  })
  if (llm.provider === 'none')
    throw new UserError('Verifying with a model needs one that takes video or images: choose OpenAI (or a local OpenAI-compatible vision model) or Gemini.', 'user_error', [
      'Set a provider in Settings, or pass --provider gemini|openai',
      'Or watch the clip and decide yourself: Verify on the flag in the app, or `sightline verify SESSION FLAG --status confirmed|denied|inconclusive`',
    ])
  const shown = currentFlags(store, r.id, store.summaries.latest(r.id))
  let flags: FlagRow[]
  if (r.flag_ids) {
    flags = r.flag_ids.map((id) => shown.find((f) => f.id === id) ?? notInSession(r.id, id, store.flags.get(id)))
  } else {
    flags = shown.filter((f) => f.label !== 'noise' && f.status_by !== 'user')
    if (!flags.length) throw new UserError(`Session ${r.id} has no flag left to verify (flags that are not noise and that no person has decided).`)
  }
  return {
    id: r.id,
    llm: llm as Planned['llm'],
    flags: flags.map(({ id, title, detail, type, label, time_ms }) => ({ id, title, detail, type, label, time_ms })),
    mask_text: r.mask_text ?? settings.clip_mask_text,
    ...(r.budget_tokens ? { budget_tokens: r.budget_tokens } : {}),
    ...(r.max_images ? { max_images: r.max_images } : {}),
    ...(r.before_ms !== undefined ? { before_ms: r.before_ms } : {}),
    ...(r.after_ms !== undefined ? { after_ms: r.after_ms } : {}),
  }
}

/** A run fails here, before any clip is drawn, in offline mode with a cloud host or without a key. */
async function planRun(deps: Deps, r: z.output<typeof VerifyInput>): Promise<Planned> {
  const p = await plan(deps, r)
  const { createProvider } = await import('../llm')
  createProvider(p.llm, deps.secrets)
  return p
}

function notInSession(session: string, id: number, flag: FlagRow | undefined): never {
  throw new UserError(flag ? `Flag ${id} belongs to session ${flag.session_id}, not ${session}.` : `Session ${session} has no flag ${id}.`, 'not_found')
}

/** The clip request for a flag, as the clip job plans it (same file name, same reuse of a recorded clip). */
function clipOf(deps: Deps, p: Planned, f: Flag) {
  return planClipRun(deps, { id: p.id, at: f.time_ms, ...MODEL_CLIP, mask_text: p.mask_text, flag_id: f.id, ...(p.before_ms !== undefined ? { before_ms: p.before_ms } : {}), ...(p.after_ms !== undefined ? { after_ms: p.after_ms } : {}) })
}

export const verify = {
  'verify:estimate': query({
    input: VerifyInput,
    prepare: plan,
    run: async (deps, p): Promise<VerifyEstimate> => {
      const [{ clipPlan }, { replayMeta }, { planMedia }, { estimateCost, estimateTokens, GEMINI_BASE_URL, OPENAI_BASE_URL }, { isLoopback }] = await Promise.all([
        import('../clips'),
        import('../replay'),
        import('../verify'),
        import('../llm'),
        import('../net'),
      ])
      const c = clipOf(deps, p, p.flags[0]!)
      const reader = { meta: (id: string) => replayMeta(deps.store, id), chunks: () => [] }
      const shape = clipPlan(reader, { session_id: p.id, at: c.at, before_ms: c.before_ms, after_ms: c.after_ms, fps: c.fps, width: c.width, out: c.out })
      const media = planMedia(p.llm.provider, p.llm.model, shape.end_ms - shape.start_ms, shape, { budget: p.budget_tokens, max_images: p.max_images })
      const baseUrl = p.llm.baseUrl || (p.llm.provider === 'gemini' ? GEMINI_BASE_URL : OPENAI_BASE_URL)
      const local = isLoopback(new URL(baseUrl).hostname)
      const text = TEXT_TOKENS + estimateTokens(p.flags.map((f) => `${f.title} ${f.detail}`).join(' ')) / p.flags.length + (media.kind === 'frames' ? media.frames * PER_FRAME_TEXT_TOKENS : 0)
      const input = Math.round((media.media_tokens + text) * p.flags.length)
      const output = OUTPUT_TOKENS * p.flags.length
      return {
        provider: p.llm.provider,
        model: p.llm.model,
        base_url: baseUrl,
        cloud: !local,
        offline_refused: p.llm.offline && !local,
        flags: p.flags.map((f) => ({ id: f.id, title: f.title, time_ms: f.time_ms })),
        media: { kind: media.kind, frames: media.frames, fps: media.kind === 'video' ? media.fps : null, width: shape.width, height: shape.height, seconds: (shape.end_ms - shape.start_ms) / 1000 },
        media_tokens_per_flag: media.media_tokens,
        estimated_input_tokens: input,
        estimated_output_tokens: output,
        estimated_cost_usd: estimateCost(p.llm.model, input, output, local),
        mask_text: p.mask_text,
        notice: PIXELS_NOTICE,
      }
    },
  }),

  'flags:verify': job({
    input: VerifyInput,
    prepare: planRun,
    job: { kind: 'verify', title: (p) => `Verify ${p.flags.length === 1 ? `“${p.flags[0]!.title.slice(0, 40)}”` : `${p.flags.length} flags`} with ${p.llm.model}` },
    run: async (deps, p, { signal, progress }): Promise<VerifyJobResult> => {
      const [{ clipStills }, { askModel, planMedia, spreadFrames }, { createProvider }, { applyVerdicts }] = await Promise.all([
        import('../clips'),
        import('../verify'),
        import('../llm'),
        import('../summarize'),
      ])
      const { store } = deps
      const provider = createProvider(p.llm, deps.secrets)
      const session = store.sessions.get(p.id)!
      let finished = 0
      const tell = (message: string) => progress({ fraction: finished / p.flags.length, message: p.flags.length > 1 ? `${finished} of ${p.flags.length} flags verified; ${message}` : message, done: finished, total: p.flags.length })

      const verifyOne = async (f: Flag): Promise<FlagVerdictResult> => {
        throwIfAborted(signal)
        tell(`drawing the clip of “${f.title.slice(0, 40)}”`)
        const clip = await recordClip(deps, clipOf(deps, p, f), { signal, progress: () => {} })
        const media = planMedia(p.llm.provider, p.llm.model, clip.end_ms - clip.start_ms, clip, { budget: p.budget_tokens, max_images: p.max_images })
        const clipInfo = { clip_id: clip.clip_id, file: clip.file, start_ms: clip.start_ms, end_ms: clip.end_ms, frames: clip.frames, fps: clip.fps }
        try {
          const send =
            media.kind === 'video'
              ? { kind: 'video' as const, path: clip.file, fps: media.fps }
              : await (async () => {
                  const idx = spreadFrames(clip.frames, media.frames)
                  const stills = await clipStills(clip.file, idx, { signal })
                  return { kind: 'frames' as const, frames: stills.map((jpeg, k) => ({ t_ms: clip.start_ms + (idx[k]! * 1000) / clip.fps, jpeg })) }
                })()
          tell(`asking ${p.llm.model}`)
          const v = await askModel(provider, f, { start_ms: clip.start_ms, end_ms: clip.end_ms, session_start_ms: session.start_ms, media: send }, { signal })
          const tokens = v.tokens.input + v.tokens.output
          const stored = store.flags.setVerdict(
            f.id,
            { status: v.status, by: 'model', note: v.explanation, saw: v.saw, next: v.next, evidence_ms: v.evidence_ms, clip_id: clip.clip_id, provider: p.llm.provider, model: v.model, tokens, cost_usd: v.cost_usd },
            Date.now(),
          )!
          return {
            flag_id: f.id,
            status: stored.flag.status,
            explanation: stored.applied ? v.explanation : `${v.model} said ${v.status} (${v.explanation}); a person had decided ${stored.flag.status}, which stays.`,
            clip: clipInfo,
            saw: v.saw,
            next: v.next,
            evidence_ms: v.evidence_ms,
            applied: stored.applied,
            tokens,
            cost_usd: v.cost_usd,
          }
        } catch (e) {
          // One flag's failure is reported with it; the others go on. Cancel stops all.
          if (signal.aborted || p.flags.length === 1) throw e
          return { flag_id: f.id, status: store.flags.get(f.id)!.status, explanation: '', clip: clipInfo, saw: null, next: null, evidence_ms: [], applied: false, tokens: 0, cost_usd: 0, error: (e as Error).message }
        }
      }

      // Two flags at a time: one clip is drawn while the model looks at another.
      const out: FlagVerdictResult[] = new Array(p.flags.length)
      let next = 0
      const lane = async () => {
        while (next < p.flags.length) {
          const i = next++
          out[i] = await verifyOne(p.flags[i]!)
          finished++
        }
      }
      // A command's browser goes when the process exits (clips/leftovers.ts); the app and web mode
      // keep theirs warm.
      await Promise.all([lane(), lane()])
      if (out.every((r) => r.error)) throw new UserError(`No flag could be verified: ${out[0]!.error}`)
      const summary = applyVerdicts(store, p.id, Date.now())
      const costs = out.map((r) => r.cost_usd)
      progress({ fraction: 1, message: 'Verdicts stored' })
      return {
        session_id: p.id,
        provider: p.llm.provider,
        model: p.llm.model,
        flags: out,
        summary_version: summary?.version ?? null,
        cost_usd: costs.some((c) => c === null) ? null : costs.reduce<number>((a, c) => a + (c ?? 0), 0),
      }
    },
  }),
}
