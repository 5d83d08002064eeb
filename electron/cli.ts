// `sightline`: the command line over the same capabilities the app and web mode use (electron/app).
// A command parses its flags, runs a capability, prints the result (JSON with --json, text for
// people otherwise) and maps errors to exit codes: 0 success, 1 a user error (one clear line on
// stderr), 2 a usage error, 130 cancelled. Only commander loads up front; the core, the SDKs and
// web mode load when a command needs them, so `--help` and quick listings start fast.
import { Command, CommanderError, Option } from 'commander'
import type { JobInfo } from '../shared/model'
import type { App, Input, JobName, Name, Output } from './app'
import { dryRunText, flagsTable, importFailure, importSummary, sessionsTable, summaryText, tracesTable, verifyEstimateText, verifyText } from './cli-text'
import { pullPreviewText, pullSyncText, pullTracesPreviewText, pullTracesText, resetSyncText, syncPointsText, type PullOpts } from './cli-pull'
import { REDACT_CATEGORIES, type RedactCategory } from '../shared/summary'
import { appVersion } from './paths'
import { embedText, estimateText, summarizeTracesText } from './cli-trace-summaries'

/** Options every command accepts (DESIGN.md), so scripts can pass them uniformly; each uses those that apply. */
interface Common {
  db?: string
  json?: boolean
  provider?: 'openai' | 'gemini' | 'none'
  model?: string
  baseUrl?: string
  offline?: boolean
}

class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

const common = (cmd: Command) =>
  cmd
    .option('--db <file>', 'database file (default: $SIGHTLINE_DB, else the desktop app’s)')
    .option('--json', 'print one JSON document on stdout; progress and logs go to stderr')
    .addOption(new Option('--provider <name>', 'model provider (default: Settings)').choices(['openai', 'gemini', 'none']))
    .option('--model <name>', 'model name (default: Settings, else the provider’s default)')
    .addOption(new Option('--base-url <url>', 'OpenAI-compatible or Gemini endpoint, e.g. http://127.0.0.1:11434/v1').argParser(parseUrl))
    .option('--offline', 'allow only this machine (loopback) as a remote host')
    .option('--no-offline', 'allow cloud hosts for this run (offline mode is on by default)')

const limitOption = () => new Option('--limit <n>', 'at most this many (default: all)').argParser((v) => parsePositive(v, '--limit'))

/** Opens the core for one command; everything heavy is imported here, not at start. */
async function withApp<T>(opts: Common, fn: (app: App) => Promise<T>): Promise<T> {
  const [{ openCore }, { App }] = await Promise.all([import('./core'), import('./app')])
  const core = openCore({ db: opts.db, transport: 'cli' })
  try {
    return await fn(new App(core))
  } finally {
    await core.close()
  }
}

/** Runs a job capability to its end with a progress bar on a terminal and Ctrl-C as cancel. */
async function complete<N extends JobName>(app: App, opts: Common, name: N, input: Input<N>): Promise<Output<N>> {
  const stop = new AbortController()
  const onSigint = () => {
    process.stderr.write('\nCancelling…\n')
    stop.abort()
  }
  process.once('SIGINT', onSigint)
  const bar = opts.json || !process.stderr.isTTY ? null : await progressBar()
  try {
    return await app.complete(name, input, { signal: stop.signal, ...(bar ? { onUpdate: bar.update } : {}) })
  } finally {
    bar?.stop()
    process.off('SIGINT', onSigint)
  }
}

async function progressBar(): Promise<{ update: (j: JobInfo) => void; stop: () => void }> {
  const { default: cliProgress } = await import('cli-progress')
  const bar = new cliProgress.SingleBar({ format: ' {bar} {percentage}% | {message}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
  let started = false
  return {
    update: (j) => {
      if (!started) bar.start(1000, 0, { message: j.title })
      started = true
      bar.update(Math.round((j.progress ?? 0) * 1000), { message: j.message || j.title })
    },
    stop: () => started && bar.stop(),
  }
}

/** The whole document on stdout; main() waits for it to drain before the process exits. */
function print(opts: Common, data: unknown, human: () => string): void {
  const text = opts.json ? JSON.stringify(data, null, 2) : human()
  if (text) process.stdout.write(text + '\n')
}

const run = <N extends Name>(opts: Common, name: N, input: Input<N>) => withApp(opts, (app) => app.run(name, input))

export function buildProgram(): Command {
  const program = new Command('sightline')
    .description('Session replays, their AI summaries and LLM trace clusters, on your own machine.')
    .version(appVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (s, write) => write(s) })

  common(program.command('serve').description('web mode: serve the app on 127.0.0.1 and print its URL (with a per-launch token)'))
    .addOption(new Option('--port <n>', 'port (default: a free one)').argParser((v) => parsePort(v)))
    .action(async (opts: Common & { port?: number }) => {
      const [{ openCore }, { serve }] = await Promise.all([import('./core'), import('./serve')])
      const core = openCore({ db: opts.db, transport: 'http' })
      const server = await serve(core, { port: opts.port })
      process.stdout.write(`Sightline is running at ${server.url}\nDatabase: ${core.store.file}\nPress Ctrl-C to stop.\n`)
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve())
        process.once('SIGTERM', () => resolve())
      })
      await server.close()
      await core.close()
    })

  common(program.command('import').description('import session recordings, product events or LLM traces (format detected from content; .gz ok)'))
    .argument('<file...>', 'files to import')
    .action(async (files: string[], opts: Common) => {
      const results = await withApp(opts, (app) => complete(app, opts, 'import:files', { files }))
      printImport(opts, results)
    })

  common(program.command('pull').description('pull from PostHog (needs POSTHOG_API_KEY): one recording by its replay link, or with --project the recordings (or --traces the LLM traces) that match, only what is new since the last pull of the same query'))
    .argument('[url]', 'a PostHog replay link, e.g. https://us.posthog.com/project/12345/replay/<session id>')
    .option('--project <url>', 'a PostHog project (any of its pages, e.g. https://us.posthog.com/project/12345): pull what matches')
    .option('--filter <expr>', 'with --project: the recordings matching a Library filter, e.g. "did $exception and duration > 30s" (see the README for what PostHog can answer)')
    .option('--hogql <query>', 'with --project: the recordings whose ids a HogQL query returns (a session_id column), e.g. "SELECT session_id FROM session_replay_events … LIMIT 500"')
    .option('--since <date>', "with --project: from this date (2026-05-01, or -7d); recordings default -90d, traces -7d")
    .option('--until <date>', 'with --traces: up to this date')
    .option('--traces', 'with --project: LLM analytics events ($ai_*) into the trace store instead of recordings (--model: only events of that model)')
    .option('--person <distinct_id>', 'with --traces: only events of this person')
    .addOption(new Option('--plan <plan>', 'with --project: your PostHog organization’s plan, which sets the snapshot rate limits (default free, the strictest); none: a self-hosted PostHog without throttles').choices(['free', 'paid', 'enterprise', 'none']))
    .option('--preview', 'with --project: say how many recordings (or with --traces LLM events) are new and how long PostHog’s rate limits make pulling them; pull nothing')
    .option('--sync-points', 'list the sync points of pulls by query (project, query, up to where each has pulled)')
    .option('--reset-sync <project|key>', 'forget the sync points of a project (any of its pages), or one by its key: the next pull starts over (what was imported stays)')
    .addOption(limitOption())
    .addOption(new Option('--concurrency <n>', 'recordings pulled at once (default 4)').argParser((v) => parsePositive(v, '--concurrency')))
    .action(async (url: string | undefined, opts: Common & PullOpts) => {
      const offline = opts.offline !== undefined ? { offline: opts.offline } : {}
      if (opts.syncPoints) {
        const points = await run(opts, 'pull:sync-points', {})
        return print(opts, points, () => syncPointsText(points))
      }
      if (opts.resetSync) {
        const which = /^https?:\/\//.test(opts.resetSync) ? { project: opts.resetSync } : { key: opts.resetSync }
        const r = await run(opts, 'pull:reset-sync', which)
        return print(opts, r, () => resetSyncText(r.reset))
      }
      if (!opts.project) {
        if (!url) throw new CommanderError(2, 'sightline.usage', 'pull needs a replay link, or --project URL')
        const results = await withApp(opts, (app) => complete(app, opts, 'pull:start', { url, ...offline }))
        return printImport(opts, results)
      }
      if (url) throw new CommanderError(2, 'sightline.usage', 'give a replay link or --project, not both')
      if (opts.traces) {
        const t = { project: opts.project, since: opts.since, until: opts.until, model: opts.model, person: opts.person, plan: opts.plan, ...offline }
        if (opts.preview) {
          const p = await run(opts, 'pull:traces-preview', t)
          return print(opts, p, () => pullTracesPreviewText(p))
        }
        const r = await withApp(opts, (app) => complete(app, opts, 'pull:traces', t)).catch(
          cancelled('Pull cancelled; the pages imported so far are kept and a re-run continues after them.'),
        )
        return print(opts, r, () => pullTracesText(r))
      }
      const q = { project: opts.project, filter: opts.filter, hogql: opts.hogql, since: opts.since, limit: opts.limit, plan: opts.plan, ...offline }
      if (opts.preview) {
        const p = await run(opts, 'pull:list', q)
        return print(opts, p, () => pullPreviewText(p))
      }
      const r = await withApp(opts, (app) => complete(app, opts, 'pull:sync', { ...q, concurrency: opts.concurrency })).catch(
        cancelled('Pull cancelled; the recordings pulled so far are kept and a re-run resumes without pulling them again.'),
      )
      print(opts, r, () => pullSyncText(r))
      for (const f of r.failed) process.stderr.write(`${f.session_id}: ${f.error}\n`)
      if (r.failed.length) process.exitCode = 1
    })

  common(program.command('sessions').description('list stored sessions'))
    .option('--search <text>', 'only sessions whose id, person or first URL contains this text')
    .option('--filter <expr>', 'only sessions matching a filter, e.g. "did $rageclick and duration > 30s" (see the README)')
    .addOption(limitOption())
    .action(async (opts: Common & { search?: string; filter?: string; limit?: number }) => {
      const { rows } = await run(opts, 'sessions:list', { q: opts.search, filter: opts.filter, sort: 'start_ms', dir: 'desc', limit: opts.limit })
      const data = rows.map((r) => ({
        id: r.id,
        start_ms: r.start_ms,
        duration_ms: r.duration_ms,
        active_ms: r.active_ms,
        events: r.events,
        snapshot_events: r.snapshot_events,
        errors: r.errors,
        flags: r.flags,
        first_url: r.first_url,
        windows: r.windows,
        distinct_id: r.distinct_id,
      }))
      print(opts, data, () => sessionsTable(rows, !!(opts.filter || opts.search)))
    })

  common(program.command('flags').description('offline heuristic flags of a session (rage and dead clicks, errors after actions, abandonment, AI signals)'))
    .argument('<session_id>', 'the session id, as `sightline sessions` lists it')
    .option('--detect', 'run the detectors again first (after an update of Sightline, or to be sure)')
    .action(async (id: string, opts: Common & { detect?: boolean }) => {
      const { flags, stale } = await withApp(opts, async (app) => {
        if (opts.detect) await complete(app, opts, 'flags:detect', { ids: [id] })
        return app.run('flags:list', { id, origin: 'heuristic' })
      })
      if (stale) process.stderr.write(`note: these flags were found by an older version of the detectors (or none ran); run \`sightline flags ${id} --detect\` to update them.\n`)
      const data = flags.map((f) => ({ id: f.id, type: f.type, time_ms: f.time_ms, severity: f.severity, blocking: f.blocking, label: f.label, title: f.title, window_id: f.window_id, evidence: f.evidence, status: f.status, verdict: f.status === 'unverified' ? null : { status: f.status, by: f.status_by, note: f.status_note, decided_ms: f.status_ms, ...(f.verdict ?? {}) } }))
      print(opts, data, () => flagsTable(flags))
    })

  common(program.command('summarize').description('summarize a session with a model (or offline from heuristics with --provider none); --dry-run shows what would be sent'))
    .argument('<session_id>', 'the session id, as `sightline sessions` lists it')
    .option('--dry-run', 'print exactly what would be sent (after redaction), estimated tokens and cost; send nothing')
    .addOption(new Option('--redact-off <categories>', `redaction categories to turn off, comma-separated (${REDACT_CATEGORIES.join(', ')})`).argParser(parseRedactOff))
    .addOption(new Option('--context-tokens <n>', 'the model’s context size, for local models (default: price table, else 8192)').argParser((v) => parsePositive(v, '--context-tokens')))
    .action(async (id: string, opts: Common & { dryRun?: boolean; redactOff?: RedactCategory[]; contextTokens?: number }) => {
      const input = {
        id,
        ...(opts.provider ? { provider: opts.provider } : {}),
        ...(opts.model ? { model: opts.model } : {}),
        ...(opts.baseUrl ? { base_url: opts.baseUrl } : {}),
        ...(opts.offline !== undefined ? { offline: opts.offline } : {}),
        ...(opts.contextTokens ? { context_tokens: opts.contextTokens } : {}),
        ...(opts.redactOff ? { redact_off: opts.redactOff } : {}),
      }
      if (opts.dryRun) {
        const d = await run(opts, 'summary:dry-run', input)
        return print(opts, d, () => dryRunText(d))
      }
      const result = await withApp(opts, (app) => complete(app, opts, 'summary:run', input)).catch(cancelled('Summary cancelled; finished model calls are kept and a re-run resumes after them.'))
      print(opts, result, () => summaryText(result))
    })

  common(program.command('clip').description('render the recording around a moment as a .webm video (headless Chromium + ffmpeg)'))
    .argument('<session_id>', 'the session id, as `sightline sessions` lists it')
    .requiredOption('--at <time>', 'the moment: epoch ms (as `flags --json` prints time_ms), or +SECONDS from the session start')
    .addOption(new Option('--before <ms>', 'ms before the moment (default 2000)').argParser((v) => parseInteger(v, '--before')))
    .addOption(new Option('--after <ms>', 'ms after the moment (default 8000)').argParser((v) => parseInteger(v, '--after')))
    .addOption(new Option('--fps <n>', 'frames per second (default 1, for models; 10 for people)').argParser((v) => parsePositive(v, '--fps')))
    .addOption(new Option('--width <px>', 'frame width (default 768; height 16:9)').argParser((v) => parsePositive(v, '--width', 64)))
    .option('--window <id>', 'always show this window (default: the one active at each moment)')
    .option('--skip-inactive', 'pass over idle stretches inside the clip')
    .option('--mask-text', 'draw every recorded text as asterisks')
    .option('--out <file>', 'where to write the .webm (default: the clips folder beside the database)')
    .action(async (id: string, opts: Common & { at: string; before?: number; after?: number; fps?: number; width?: number; window?: string; skipInactive?: boolean; maskText?: boolean; out?: string }) => {
      const at = /^\+\d+(\.\d+)?$/.test(opts.at) ? opts.at : Number(opts.at)
      if (typeof at === 'number' && !Number.isFinite(at)) throw new CommanderError(2, 'sightline.usage', `--at must be epoch ms or +SECONDS, not ${JSON.stringify(opts.at)}`)
      const input = {
        id,
        at,
        ...(opts.before !== undefined ? { before_ms: opts.before } : {}),
        ...(opts.after !== undefined ? { after_ms: opts.after } : {}),
        ...(opts.fps ? { fps: opts.fps } : {}),
        ...(opts.width ? { width: opts.width } : {}),
        ...(opts.window ? { window_id: opts.window } : {}),
        ...(opts.skipInactive ? { skip_inactive: true } : {}),
        ...(opts.maskText ? { mask_text: true } : {}),
        ...(opts.out ? { out: opts.out } : {}),
      }
      const r = await withApp(opts, (app) => complete(app, opts, 'clips:render', input)).catch(cancelled('Clip cancelled; no file was written.'))
      const data = { file: r.file, start_ms: r.start_ms, end_ms: r.end_ms, frames: r.frames, fps: r.fps, bytes: r.bytes, wall_ms: r.wall_ms, width: r.width, height: r.height, windows: r.window_ids, clip_id: r.clip_id }
      print(opts, data, () => `${r.file}: ${r.frames} frames at ${r.fps} fps (${((r.end_ms - r.start_ms) / 1000).toFixed(1)} s, ${r.width}×${r.height}), ${Math.round(r.bytes / 1024)} KB in ${(r.wall_ms / 1000).toFixed(1)} s`)
    })

  common(program.command('verify').description('verify flags by what the user saw: a clip of each flag’s moment judged by a multimodal model (Gemini: the video; OpenAI-style: frames as images), the verdict stored with the flag and the summary updated; or decide yourself with --status'))
    .argument('<session_id>', 'the session id, as `sightline sessions` lists it')
    .argument('[flag_id]', 'the flag id, as `sightline flags --json` prints it')
    .option('--all', 'every flag of the session that is not noise and that no person has decided')
    .option('--dry-run', 'print what would be sent and what it would cost; send nothing')
    .option('--mask-text', 'draw every recorded text as asterisks in the clips sent (default: Settings)')
    .addOption(new Option('--budget <tokens>', 'video or image tokens per flag (default 3000)').argParser((v) => parsePositive(v, '--budget', 258)))
    .addOption(new Option('--max-images <n>', 'frames per flag for OpenAI-style models (default 10)').argParser((v) => parsePositive(v, '--max-images')))
    .addOption(new Option('--status <status>', 'decide yourself, no model: the flag’s status (the summary is updated the same way)').choices(['confirmed', 'denied', 'inconclusive', 'unverified']))
    .option('--note <text>', 'with --status: your note')
    .action(async (id: string, flag: string | undefined, opts: Common & { all?: boolean; dryRun?: boolean; maskText?: boolean; budget?: number; maxImages?: number; status?: 'confirmed' | 'denied' | 'inconclusive' | 'unverified'; note?: string }) => {
      if (!flag === !opts.all) throw new CommanderError(2, 'sightline.usage', 'give a flag id or --all, not both')
      const flagId = flag === undefined ? undefined : parsePositive(flag, 'flag_id')
      if (opts.status) {
        if (flagId === undefined) throw new CommanderError(2, 'sightline.usage', '--status decides one flag: give its id')
        const f = await withApp(opts, async (app) => {
          const f = await app.run('flags:list', { id })
          if (!f.flags.some((x) => x.id === flagId)) throw new ExitError(`error: session ${id} has no flag ${flagId}`, 1)
          return app.run('flags:set-status', { flag_id: flagId, status: opts.status!, ...(opts.note ? { note: opts.note } : {}) })
        })
        const data = [{ flag_id: f.id, status: f.status, explanation: f.status_note ?? '', clip: null, by: f.status_by }]
        return print(opts, data, () => `flag ${f.id}: ${f.status} (by you)${f.status_note ? `: ${f.status_note}` : ''}`)
      }
      const input = {
        id,
        ...llmInput(opts),
        ...(flagId !== undefined ? { flag_ids: [flagId] } : {}),
        ...(opts.maskText ? { mask_text: true } : {}),
        ...(opts.budget ? { budget_tokens: opts.budget } : {}),
        ...(opts.maxImages ? { max_images: opts.maxImages } : {}),
      }
      const { estimate, result } = await withApp(opts, async (app) => {
        const estimate = await app.run('verify:estimate', input)
        if (opts.dryRun) return { estimate, result: null }
        // A cloud call says what it sends and costs before it starts.
        if (estimate.cloud && !opts.json) process.stderr.write(verifyEstimateText(estimate) + '\n')
        return { estimate, result: await complete(app, opts, 'flags:verify', input).catch(cancelled('Verification cancelled; the verdicts stored so far are kept.')) }
      })
      if (!result) return print(opts, estimate, () => verifyEstimateText(estimate))
      const data = result.flags.map((f) => ({
        flag_id: f.flag_id,
        status: f.status,
        explanation: f.explanation,
        clip: f.clip?.file ?? null,
        clip_id: f.clip?.clip_id ?? null,
        saw: f.saw,
        next: f.next,
        evidence_ms: f.evidence_ms,
        applied: f.applied,
        tokens: f.tokens,
        cost_usd: f.cost_usd,
        ...(f.error ? { error: f.error } : {}),
      }))
      print(opts, data, () => verifyText(result))
      if (result.flags.some((f) => f.error)) process.exitCode = 1
    })

  common(program.command('traces').description('list stored LLM traces'))
    .option('--session <id>', 'only traces of this session')
    .addOption(limitOption())
    .action(async (opts: Common & { session?: string; limit?: number }) => {
      const { rows } = await run(opts, 'traces:list', { session: opts.session, sort: 'start_ms', dir: 'desc', limit: opts.limit })
      const data = rows.map((r) => ({ id: r.id, name: r.name, start_ms: r.start_ms, spans: r.spans, input_tokens: r.input_tokens, output_tokens: r.output_tokens, cost_usd: r.cost_usd, error: r.error, session_id: r.session_id }))
      print(opts, data, () => tracesTable(rows))
    })

  common(program.command('trace-text').description('a trace as line-numbered text (L001: …), downsampled to --max-lines'))
    .argument('<trace_id>', 'the trace id, as `sightline traces` lists it')
    .addOption(new Option('--max-lines <n>', 'at most this many lines (≥ 10): keep the header and every Nth line').argParser((v) => parsePositive(v, '--max-lines', 10)))
    .action(async (id: string, opts: Common & { maxLines?: number }) => {
      const text = await run(opts, 'traces:text', { id, ...(opts.maxLines ? { max_lines: opts.maxLines } : {}) })
      print(opts, { trace_id: id, ...text }, () => text.text)
    })

  common(program.command('summarize-traces').description('structured summaries of LLM traces (title, flow, bullets and notes with line refs); offline with --provider none'))
    .addOption(new Option('--limit <n>', 'a random sample of this many traces (default: all)').argParser((v) => parsePositive(v, '--limit')))
    .addOption(new Option('--seed <n>', 'seed of the --limit sample (the same seed picks the same traces)').argParser((v) => parseInteger(v, '--seed')))
    .option('--ids <ids>', 'only these trace ids, comma-separated')
    .addOption(new Option('--since <time>', 'only traces that started at or after this (ISO date or epoch ms)').argParser((v) => parseTime(v, '--since')))
    .addOption(new Option('--until <time>', 'only traces that started at or before this (ISO date or epoch ms)').argParser((v) => parseTime(v, '--until')))
    .option('--force', 'summarize again even traces whose summary is current')
    .addOption(new Option('--concurrency <n>', 'model calls in flight at once (default 4)').argParser((v) => parsePositive(v, '--concurrency')))
    .option('--dry-run', 'print the estimated tokens and cost; send nothing')
    .addOption(new Option('--context-tokens <n>', 'the model’s context size, for local models').argParser((v) => parsePositive(v, '--context-tokens')))
    .addOption(new Option('--redact-off <categories>', `redaction categories to turn off (${REDACT_CATEGORIES.join(', ')})`).argParser(parseRedactOff))
    .action(async (opts: Common & { limit?: number; seed?: number; ids?: string; since?: number; until?: number; force?: boolean; concurrency?: number; dryRun?: boolean; contextTokens?: number; redactOff?: RedactCategory[] }) => {
      const input = {
        ...llmInput(opts),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.ids ? { ids: opts.ids.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(opts.since !== undefined ? { from_ms: opts.since } : {}),
        ...(opts.until !== undefined ? { to_ms: opts.until } : {}),
        ...(opts.force ? { force: true } : {}),
        ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
        ...(opts.contextTokens ? { context_tokens: opts.contextTokens } : {}),
        ...(opts.redactOff ? { redact_off: opts.redactOff } : {}),
      }
      const { estimate, run } = await withApp(opts, async (app) => {
        const estimate = await app.run('traces:summarize-estimate', input)
        if (opts.dryRun) return { estimate, run: null }
        // A cloud run says what it will cost before it starts.
        if (estimate.cloud && !opts.json) process.stderr.write(estimateText(estimate) + '\n')
        return { estimate, run: await complete(app, opts, 'traces:summarize', input).catch(cancelled('Cancelled; the summaries finished so far are kept and a re-run skips them.')) }
      })
      if (!run) return print(opts, estimate, () => estimateText(estimate))
      print(opts, run, () => summarizeTracesText(run))
      if (run.failed.length) process.exitCode = 1
    })

  common(program.command('embed').description('embed the summarized traces (offline: TF-IDF + SVD fitted on them), or store vectors from a file with --from'))
    .option('--from <file>', 'vectors made elsewhere: .npy (float32/float64, 2-D), .csv (id,v1,v2,…) or .jsonl ({"id","vector"})')
    .option('--ids <file>', 'for --from FILE.npy: one trace id per line, in row order (default: the summarized traces in id order)')
    .option('--name <name>', 'for --from: store the vectors under this name (default: file:<file name>)')
    .addOption(new Option('--dimensions <n>', 'output dimensions (OpenAI dimensions, Gemini outputDimensionality; offline: the SVD’s, default 64)').argParser((v) => parsePositive(v, '--dimensions')))
    .option('--force', 'embed again even unchanged summaries')
    .action(async (opts: Common & { from?: string; ids?: string; name?: string; dimensions?: number; force?: boolean }) => {
      const path = await import('node:path')
      const input = {
        ...llmInput(opts),
        ...(opts.dimensions ? { dimensions: opts.dimensions } : {}),
        ...(opts.force ? { force: true } : {}),
        ...(opts.from ? { from: path.resolve(opts.from) } : {}),
        ...(opts.ids ? { ids_file: path.resolve(opts.ids) } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      }
      const result = await withApp(opts, (app) => complete(app, opts, 'traces:embed', input)).catch(cancelled('Embedding cancelled; vectors stored so far are kept.'))
      print(opts, result, () => embedText(result))
    })

  common(program.command('cluster').description('UMAP + HDBSCAN + topics + offline labels over stored embeddings (--model picks which), or an .npy file'))
    .option('--embeddings <file>', 'vectors in an .npy file (float32/float64, rows × dims); point ids are row numbers')
    .addOption(new Option('--min-cluster-size <n>', 'HDBSCAN min_cluster_size (default max(5, 1% of n))').argParser((v) => parsePositive(v, '--min-cluster-size')))
    .addOption(new Option('--dims <n>', 'UMAP dimension to cluster in (default 10; PostHog uses 100)').argParser((v) => parsePositive(v, '--dims')))
    .addOption(new Option('--topics <n>', 'number of topics (default: chosen automatically)').argParser((v) => parsePositive(v, '--topics')))
    .addOption(new Option('--seed <n>', 'random seed (default 42)').argParser((v) => parsePositive(v, '--seed')))
    .option('--list', 'list the stored runs (newest first) instead of running')
    .option('--run <id>', 'a stored run instead of a new one: print it, or with --topics cut its topics again')
    .option('--label-model <name>', 'with --provider openai: the chat model that names the clusters (default: Settings)')
    .action(async (opts: Common & { embeddings?: string; minClusterSize?: number; dims?: number; topics?: number; seed?: number; list?: boolean; run?: string; labelModel?: string }) => {
      if (opts.list) {
        const runs = await withApp(opts, (app) => app.run('cluster:runs', {}))
        return print(opts, runs, () => runs.map((r) => `${r.run_id}  ${new Date(r.created_ms).toISOString()}  ${r.source}  ${r.points} points, ${r.clusters} clusters, ${r.topics} topics, ${r.noise} noise`).join('\n'))
      }
      if (opts.run) {
        const id = opts.run
        const stored = await withApp(opts, async (app) => {
          if (opts.topics) await app.run('clusters:topics', { run_id: id, topics: opts.topics })
          return app.run('cluster:get', { id })
        })
        const { clusterText } = await import('./cli-clusters')
        return print(opts, stored, () => clusterText(stored))
      }
      const path = await import('node:path')
      const input = {
        ...(opts.embeddings ? { embeddings: path.resolve(opts.embeddings) } : {}),
        ...(opts.model ? { model: opts.model } : {}),
        ...(opts.minClusterSize ? { min_cluster_size: opts.minClusterSize } : {}),
        ...(opts.dims ? { dims: opts.dims } : {}),
        ...(opts.topics ? { topics: opts.topics } : {}),
        ...(opts.seed ? { seed: opts.seed } : {}),
      }
      const run = await withApp(opts, async (app) => {
        const done = await complete(app, opts, 'cluster:run', input)
        if (opts.provider && opts.provider !== 'none') {
          // Agent labels on top of the offline ones; if the model fails, the run keeps what it has.
          const label = { run_id: done.run_id, provider: opts.provider, ...(opts.labelModel ? { model: opts.labelModel } : {}), ...(opts.baseUrl ? { base_url: opts.baseUrl } : {}), ...(opts.offline !== undefined ? { offline: opts.offline } : {}) }
          const r = await complete(app, opts, 'cluster:label', label)
          process.stderr.write(`Labels: ${r.labelled} of ${r.clusters} clusters named by ${r.model} in ${r.calls} calls${r.error ? `; it stopped early: ${r.error}` : ''}\n`)
        }
        return app.run('cluster:get', { id: done.run_id })
      }).catch(cancelled('Clustering cancelled; earlier runs are kept.'))
      const { clusterText } = await import('./cli-clusters')
      print(opts, run, () => clusterText(run))
    })

  return program
}

/** Import and pull: results on stdout, each failed file as one line on stderr; exit 1 if any failed. */
function printImport(opts: Common, results: import('../shared/model').ImportResult[]): void {
  print(opts, results, () => results.filter((r) => !r.error).map(importSummary).join('\n'))
  for (const r of results) if (r.error) process.stderr.write(importFailure(r) + '\n')
  if (results.some((r) => r.error)) process.exitCode = 1
}

const cancelled = (message: string) => (e: unknown) => {
  throw (e as Error)?.name === 'CancelledError' ? new ExitError(message, 130) : e
}

function parseUrl(v: string): string {
  try {
    const u = new URL(v)
    if (u.protocol === 'http:' || u.protocol === 'https:') return v
  } catch {
    /* below */
  }
  throw new CommanderError(2, 'sightline.url', `--base-url must be an http(s) URL, not ${JSON.stringify(v)}`)
}

function parseRedactOff(v: string): RedactCategory[] {
  const cats = v.split(',').map((c) => c.trim()).filter(Boolean)
  const bad = cats.filter((c) => !(REDACT_CATEGORIES as readonly string[]).includes(c))
  if (bad.length) throw new CommanderError(2, 'sightline.redact', `--redact-off takes ${REDACT_CATEGORIES.join(', ')}; not ${bad.join(', ')}`)
  return cats as RedactCategory[]
}

/** Provider, model, base URL and offline mode as a capability takes them. */
const llmInput = (opts: Common) => ({
  ...(opts.provider ? { provider: opts.provider } : {}),
  ...(opts.model ? { model: opts.model } : {}),
  ...(opts.baseUrl ? { base_url: opts.baseUrl } : {}),
  ...(opts.offline !== undefined ? { offline: opts.offline } : {}),
})

function parseInteger(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n)) throw new CommanderError(2, 'sightline.number', `${flag} must be a whole number, not ${JSON.stringify(v)}`)
  return n
}

function parseTime(v: string, flag: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v)
  if (!Number.isFinite(n)) throw new CommanderError(2, 'sightline.time', `${flag} must be an ISO date (2026-11-22T10:00Z) or epoch ms, not ${JSON.stringify(v)}`)
  return n
}

function parsePort(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CommanderError(2, 'sightline.port', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(v)}`)
  return n
}

function parsePositive(v: string, flag: string, min = 1): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < min) throw new CommanderError(2, 'sightline.number', `${flag} must be a whole number ≥ ${min}, not ${JSON.stringify(v)}`)
  return n
}

/** Runs the CLI; resolves to the exit code once everything written to stdout has drained. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  program.exitOverride()
  for (const c of program.commands) c.exitOverride()
  let code: number
  try {
    await program.parseAsync(argv, { from: 'user' })
    code = Number(process.exitCode ?? 0)
  } catch (e) {
    code = await report(e)
  }
  // A pipe drains asynchronously: exiting before it has would cut the document.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
  return code
}

async function report(e: unknown): Promise<number> {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0
    if (e.code.startsWith('sightline.')) process.stderr.write(`error: ${e.message}\n`)
    return 2
  }
  if (e instanceof ExitError) {
    process.stderr.write(e.message + '\n')
    return e.exitCode
  }
  if ((e as Error)?.name === 'CancelledError') {
    process.stderr.write('Cancelled; nothing was written for the work in progress.\n')
    return 130
  }
  const { toApiError } = await import('./errors')
  const err = toApiError(e)
  process.stderr.write(`error: ${err.message}\n${(err.actions ?? []).map((a) => `  try: ${a}\n`).join('')}`)
  return err.code === 'invalid_request' ? 2 : 1
}
