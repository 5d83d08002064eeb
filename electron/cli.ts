// `sightline`: batch commands over the same core the app and web mode use. Commands parse flags,
// call the core and return data; `output` prints it as JSON (--json) or as text for people.
// Exit codes: 0 success, 1 user error (one clear line on stderr), 2 usage error.
import { Command, CommanderError, Option } from 'commander'
import cliProgress from 'cli-progress'
import type { ImportResult, JobInfo } from '../shared/model'
import { startImport } from './api'
import { startPull } from './pull/job'
import { openCore, type Core } from './core'
import { NotFoundError, toApiError, UserError } from './errors'
import { appVersion } from './paths'
import { serve } from './serve'
import { traceText } from './traces'
import { parseFilter } from './sessions/filter'
import { refreshFlags } from './sessions'
import { dryRunSummary, startSummaryJob, type SummaryJobResult, type SummaryRequest } from './summarize'
import { REDACT_CATEGORIES, type RedactCategory } from './llm/redact'
import type { DryRun } from '../shared/summary'

interface Common {
  db?: string
  json?: boolean
}

class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

const withCommon = (cmd: Command) =>
  cmd
    .option('--db <file>', 'database file (default: $SIGHTLINE_DB, else the desktop app’s)')
    .option('--json', 'print one JSON document on stdout; progress and logs go to stderr')

async function withCore<T>(opts: Common, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = openCore({ db: opts.db, transport: 'cli' })
  try {
    return await fn(core)
  } finally {
    await core.close()
  }
}

function print(opts: Common, data: unknown, human: () => string): void {
  process.stdout.write(opts.json ? JSON.stringify(data, null, 2) + '\n' : human() + '\n')
}

/** A progress bar on stderr while a job runs; nothing when stderr is not a terminal or under --json. */
function watchJob(core: Core, job: JobInfo, opts: Common): () => void {
  if (opts.json || !process.stderr.isTTY) return () => {}
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {percentage}% | {message}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  )
  bar.start(1000, 0, { message: job.title })
  const off = core.jobs.onJob((j) => {
    if (j.id === job.id) bar.update(Math.round((j.progress ?? 0) * 1000), { message: j.message || j.title })
  })
  return () => {
    off()
    bar.stop()
  }
}

/** Ctrl-C cancels the running job (which cleans up after itself) instead of killing mid-write. */
function cancelOnSigint(core: Core, job: JobInfo): () => void {
  const onSigint = () => {
    process.stderr.write('\nCancelling…\n')
    core.jobs.cancel(job.id)
  }
  process.once('SIGINT', onSigint)
  return () => process.off('SIGINT', onSigint)
}

const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19))
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`

function importSummary(r: ImportResult): string {
  if (r.error) return `✗ ${r.file}\n  ${r.error}`
  if (r.already_imported) return `= ${r.file}: already imported, nothing changed`
  const parts = [
    r.format,
    r.sessions && plural(r.sessions, 'session'),
    r.events && plural(r.events, 'event'),
    r.snapshot_events && plural(r.snapshot_events, 'snapshot event'),
    r.traces && plural(r.traces, 'trace'),
    r.spans && plural(r.spans, 'span'),
    r.log_records && `${r.log_records} log records with message content`,
    ...r.skipped.map((s) => `skipped ${s.count} (${s.reason})`),
    `${r.duration_ms} ms`,
  ].filter(Boolean)
  return `✓ ${r.file}\n  ${parts.join(', ')}${(r.notes ?? []).map((n) => `\n  note: ${n}`).join('')}`
}

export function buildProgram(): Command {
  const program = new Command('sightline')
    .description('Session replays, their AI summaries and LLM trace clusters, on your own machine.')
    .version(appVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (s, write) => write(s) })

  program
    .command('serve')
    .description('web mode: serve the app on 127.0.0.1 and print its URL (with a per-launch token)')
    .addOption(new Option('--port <n>', 'port (default: a free one)').argParser((v) => parsePort(v)))
    .option('--db <file>', 'database file (default: $SIGHTLINE_DB, else the desktop app’s)')
    .action(async (opts: { port?: number; db?: string }) => {
      const core = openCore({ db: opts.db, transport: 'http' })
      const server = await serve(core, { port: opts.port })
      process.stdout.write(`Sightline is running at ${server.url}\nDatabase: ${core.store.file}\nPress Ctrl-C to stop.\n`)
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await server.close()
      await core.close()
    })

  withCommon(
    program
      .command('import')
      .description('import session recordings, product events or LLM traces (format detected from content; .gz ok)')
      .argument('<file...>', 'files to import'),
  ).action(async (files: string[], opts: Common) => {
    const results = await withCore(opts, async (core) => {
      const job = startImport(core, files, () => {})
      const stopBar = watchJob(core, job, opts)
      const stopSigint = cancelOnSigint(core, job)
      const done = await core.jobs.wait(job.id)
      stopBar()
      stopSigint()
      if (done.state === 'cancelled') throw new ExitError('Import cancelled; nothing was written for the file in progress.', 130)
      if (done.state !== 'done') throw new UserError(done.error ?? 'Import failed')
      return done.result as ImportResult[]
    })
    print(opts, results, () => results.map(importSummary).join('\n'))
    if (results.some((r) => r.error)) process.exitCode = 1
  })

  withCommon(
    program
      .command('pull')
      .description('pull one recording from PostHog by its replay link (needs POSTHOG_API_KEY) and import it like a file')
      .argument('<url>', 'a PostHog replay link, e.g. https://us.posthog.com/project/12345/replay/<session id>')
      .option('--offline', 'allow only this machine (loopback) as the PostHog host')
      .option('--no-offline', 'allow PostHog cloud or other hosts for this run (offline mode is on by default)'),
  ).action(async (url: string, opts: Common & { offline?: boolean }) => {
    const results = await withCore(opts, async (core) => {
      const job = startPull(core, url, { offline: opts.offline })
      const stopBar = watchJob(core, job, opts)
      const stopSigint = cancelOnSigint(core, job)
      const done = await core.jobs.wait(job.id)
      stopBar()
      stopSigint()
      if (done.state === 'cancelled') throw new ExitError('Pull cancelled; nothing was written.', 130)
      if (done.state !== 'done') throw new UserError(done.error ?? 'Pull failed')
      return done.result as ImportResult[]
    })
    print(opts, results, () => results.map(importSummary).join('\n'))
    if (results.some((r) => r.error)) process.exitCode = 1
  })

  withCommon(
    program
      .command('sessions')
      .description('list stored sessions')
      .option('--search <text>', 'only sessions whose id, person or first URL contains this text')
      .option('--filter <expr>', 'only sessions matching a filter, e.g. "did $rageclick and duration > 30s" (see the README)')
      .addOption(new Option('--limit <n>', 'at most this many').default(1000).argParser((v) => parsePositive(v, '--limit'))),
  ).action(async (opts: Common & { search?: string; filter?: string; limit: number }) => {
    const filter = opts.filter !== undefined ? parseFilter(opts.filter) : undefined
    const { rows } = await withCore(opts, async (core) =>
      core.store.sessions.list({ q: opts.search, filter, sort: 'start_ms', dir: 'desc', limit: opts.limit, offset: 0 }),
    )
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
    print(opts, data, () =>
      rows.length === 0
        ? filter || opts.search
          ? 'No session matches.'
          : 'No sessions yet. Import some: sightline import FILE'
        : table([
            ['ID', 'START (UTC)', 'DURATION', 'ACTIVE', 'EVENTS', 'ERRORS', 'FLAGS', 'FIRST URL'],
            ...rows.map((r) => [r.id, iso(r.start_ms), secs(r.duration_ms), secs(r.active_ms), String(r.events), String(r.errors), String(r.flags), r.first_url ?? '']),
          ]),
    )
  })

  withCommon(
    program
      .command('flags')
      .description('offline heuristic flags of a session (rage and dead clicks, errors after actions, abandonment, AI signals)')
      .argument('<session_id>', 'the session id, as `sightline sessions` lists it'),
  ).action(async (id: string, opts: Common) => {
    const flags = await withCore(opts, async (core) => {
      if (!core.store.sessions.get(id)) throw new NotFoundError('session', id)
      return refreshFlags(core.store, id)
    })
    const data = flags.map((f) => ({ id: f.id, type: f.type, time_ms: f.time_ms, severity: f.severity, blocking: f.blocking, label: f.label, title: f.title, window_id: f.window_id, evidence: f.evidence, status: f.status }))
    print(opts, data, () =>
      flags.length === 0
        ? 'No flags: the heuristics found nothing.'
        : table([['ID', 'TIME (UTC)', 'TYPE', 'LABEL', 'SEVERITY', 'TITLE'], ...flags.map((f) => [String(f.id), iso(f.time_ms), f.type, f.label, f.severity, f.title])]),
    )
  })

  withCommon(
    program
      .command('summarize')
      .description('summarize a session with a model (or offline from heuristics with --provider none); --dry-run shows what would be sent')
      .argument('<session_id>', 'the session id, as `sightline sessions` lists it')
      .addOption(new Option('--provider <name>', 'model provider (default: Settings)').choices(['openai', 'gemini', 'none']))
      .option('--model <name>', 'model name (default: Settings, else the provider’s default)')
      .addOption(new Option('--base-url <url>', 'OpenAI-compatible or Gemini endpoint, e.g. http://127.0.0.1:11434/v1 (default: Settings, else $OPENAI_BASE_URL)').argParser(parseUrl))
      .option('--offline', 'allow only this machine (loopback) as the model host')
      .option('--no-offline', 'allow cloud hosts for this run')
      .option('--dry-run', 'print exactly what would be sent (after redaction), estimated tokens and cost; send nothing')
      .addOption(new Option('--redact-off <categories>', `redaction categories to turn off, comma-separated (${REDACT_CATEGORIES.join(', ')})`).argParser(parseRedactOff))
      .addOption(new Option('--context-tokens <n>', 'the model’s context size, for local models (default: price table, else 8192)').argParser((v) => parsePositive(v, '--context-tokens'))),
  ).action(
    async (
      id: string,
      opts: Common & { provider?: 'openai' | 'gemini' | 'none'; model?: string; baseUrl?: string; offline?: boolean; dryRun?: boolean; redactOff?: RedactCategory[]; contextTokens?: number },
    ) => {
      const req: SummaryRequest = {
        sessionId: id,
        llm: {
          ...(opts.provider ? { provider: opts.provider } : {}),
          ...(opts.model ? { model: opts.model } : {}),
          ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
          ...(opts.offline !== undefined ? { offline: opts.offline } : {}),
          ...(opts.contextTokens ? { contextTokens: opts.contextTokens } : {}),
        },
        ...(opts.redactOff ? { redactOff: opts.redactOff } : {}),
      }
      if (opts.dryRun) {
        const d = await withCore(opts, (core) => dryRunSummary(core, req))
        return print(opts, d, () => dryRunText(d))
      }
      const result = await withCore(opts, async (core) => {
        const job = startSummaryJob(core, req)
        const stopBar = watchJob(core, job, opts)
        const stopSigint = cancelOnSigint(core, job)
        const done = await core.jobs.wait(job.id)
        stopBar()
        stopSigint()
        if (done.state === 'cancelled') throw new ExitError('Summary cancelled; finished model calls are kept and a re-run resumes after them.', 130)
        if (done.state !== 'done') throw new UserError(done.error ?? 'Summary failed')
        return done.result as SummaryJobResult
      })
      print(opts, result, () => summaryText(result))
    },
  )

  withCommon(
    program
      .command('traces')
      .description('list stored LLM traces')
      .option('--session <id>', 'only traces of this session')
      .addOption(new Option('--limit <n>', 'at most this many').default(1000).argParser((v) => parsePositive(v, '--limit'))),
  ).action(async (opts: Common & { session?: string; limit: number }) => {
    const { rows } = await withCore(opts, async (core) =>
      core.store.traces.list({ session: opts.session, sort: 'start_ms', dir: 'desc', limit: opts.limit, offset: 0 }),
    )
    const data = rows.map((r) => ({
      id: r.id,
      name: r.name,
      start_ms: r.start_ms,
      spans: r.spans,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cost_usd: r.cost_usd,
      error: r.error,
      session_id: r.session_id,
    }))
    print(opts, data, () =>
      rows.length === 0
        ? 'No traces yet. Import some: sightline import FILE'
        : table([
            ['ID', 'NAME', 'START (UTC)', 'SPANS', 'TOKENS IN/OUT', 'ERROR', 'SESSION'],
            ...rows.map((r) => [r.id, r.name ?? '', iso(r.start_ms), String(r.spans), `${r.input_tokens}/${r.output_tokens}`, r.error ? 'yes' : '', r.session_id ?? '']),
          ]),
    )
  })

  withCommon(
    program
      .command('trace-text')
      .description('a trace as line-numbered text (L001: …), downsampled to --max-lines')
      .argument('<trace_id>', 'the trace id, as `sightline traces` lists it')
      .addOption(new Option('--max-lines <n>', 'at most this many lines: keep the header and every Nth line').argParser((v) => parsePositive(v, '--max-lines'))),
  ).action(async (id: string, opts: Common & { maxLines?: number }) => {
    const text = await withCore(opts, async (core) => traceText(core.store, id, { maxLines: opts.maxLines }))
    if (!text) throw new NotFoundError('trace', id)
    print(opts, { trace_id: id, ...text }, () => text.text)
  })

  return program
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
  const bad = cats.filter((c) => !(REDACT_CATEGORIES as string[]).includes(c))
  if (bad.length) throw new CommanderError(2, 'sightline.redact', `--redact-off takes ${REDACT_CATEGORIES.join(', ')}; not ${bad.join(', ')}`)
  return cats as RedactCategory[]
}

function dryRunText(d: DryRun): string {
  if (d.provider === 'none') return 'Provider none: nothing is sent anywhere; the summary is made from the heuristics.'
  const lines = d.requests.flatMap((r, i) => [
    `──── request ${i + 1} of ${d.requests.length} to ${d.model} at ${d.base_url} ────`,
    '[system]',
    r.system,
    '[user]',
    r.user,
  ])
  const cost = d.estimated_cost_usd === null ? 'unknown (model not in the price table)' : d.cloud ? `$${d.estimated_cost_usd.toFixed(4)}` : '$0 (runs on this machine)'
  lines.push(
    '────',
    `Estimated tokens: ${d.estimated_input_tokens} in, up to ${d.estimated_output_tokens} out${d.segments > 1 ? ` over ${d.segments} sequential segments` : ''}; estimated cost ${cost}.`,
    `Redacted: ${d.redaction.map((r) => `${r.count} ${r.category}`).join(', ') || 'nothing found'}.`,
  )
  if (d.offline_refused) lines.push('Offline mode is on: this host is not on this machine, so a real run would be refused (pass --no-offline or use a local --base-url).')
  return lines.join('\n')
}

function summaryText(r: SummaryJobResult): string {
  const head = r.kind === 'heuristic' ? `Offline summary from heuristics (no model), version ${r.version}` : `Summary version ${r.version}`
  const cost = r.usage.cost_usd === null ? '' : `, ~$${r.usage.cost_usd.toFixed(4)}`
  return [
    `${head} of ${r.session_id}: outcome ${r.outcome}`,
    r.kind === 'model' ? `${r.usage.calls} call(s), ${r.usage.input_tokens} tokens in, ${r.usage.output_tokens} out${cost}` : '',
    ...r.flags.map((f) => `  ${iso(f.time_ms)}  ${f.blocking ? 'BLOCKING ' : ''}${f.type} [${f.status}] (flag ${f.id})`),
  ]
    .filter(Boolean)
    .join('\n')
}

function parsePort(v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CommanderError(2, 'sightline.port', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(v)}`)
  return n
}

function parsePositive(v: string, flag: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new CommanderError(2, 'sightline.number', `${flag} must be a whole number ≥ 1, not ${JSON.stringify(v)}`)
  return n
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  program.exitOverride()
  for (const c of program.commands) c.exitOverride()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return Number(process.exitCode ?? 0)
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0
      if (e.code.startsWith('sightline.')) process.stderr.write(`error: ${e.message}\n`)
      return 2
    }
    if (e instanceof ExitError) {
      process.stderr.write(e.message + '\n')
      return e.exitCode
    }
    const err = toApiError(e)
    process.stderr.write(`error: ${err.message}\n${(err.actions ?? []).map((a) => `  try: ${a}\n`).join('')}`)
    return 1
  }
}
