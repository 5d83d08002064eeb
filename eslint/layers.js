// The layering rule (docs/ARCHITECTURE.md): imports point down only. Each file belongs to one layer;
// a relative import is resolved to the file it names and allowed only into the layers below (or
// its own unit). Known exceptions are listed here and may only shrink.
import path from 'node:path'

const STAGES = ['import', 'pull', 'sessions', 'summarize', 'traces', 'replay', 'clips', 'verify', 'cluster', 'insights']

/** Layer of a repo-relative path, with its unit (a stage's folder: stages may not import each other). */
export function layerOf(rel) {
  const p = rel.split(path.sep).join('/')
  if (p.startsWith('shared/')) return { layer: 'shared' }
  if (p.startsWith('renderer/')) return { layer: 'renderer' }
  if (!p.startsWith('electron/')) return null
  const [, first] = p.split('/')
  if (['errors.ts', 'paths.ts', 'secrets.ts', 'clock.ts', 'processes.ts', 'scratch.ts'].includes(first)) return { layer: 'base' }
  if (first === 'store') return { layer: 'store' }
  if (first === 'net') return { layer: 'net' }
  if (first === 'llm') return { layer: 'llm' }
  if (first === 'jobs') return { layer: 'jobs' }
  if (STAGES.includes(first)) return { layer: 'stage', unit: first }
  if (['settings.ts', 'samples.ts'].includes(first)) return { layer: 'support' }
  // The composition root (core.ts: store + jobs + keys) belongs with the capabilities.
  if (first === 'app' || first === 'core.ts') return { layer: 'app' }
  return { layer: 'face' } // main, preload, api, serve, cli
}

/** What each layer may import, besides its own unit. */
export const MAY = {
  shared: [],
  renderer: ['shared'],
  base: ['shared'],
  store: ['shared', 'base'],
  net: ['shared', 'base'],
  llm: ['shared', 'base', 'net'],
  jobs: ['shared', 'base', 'store'],
  stage: ['shared', 'base', 'store', 'llm', 'net'],
  support: ['shared', 'base', 'store'],
  app: ['shared', 'base', 'store', 'llm', 'net', 'jobs', 'stage', 'support'],
  face: ['shared', 'base', 'store', 'jobs', 'support', 'app', 'face'],
}

/** Imports that break the layering today, each with why; remove an entry when its import goes. */
export const EXCEPTIONS = [
  { from: 'electron/pull/', to: 'electron/import/', why: 'a pulled recording is written to a file and imported by the importer' },
  { from: 'electron/import/', to: 'electron/sessions/reactions.ts', why: 'chunk reactions are recorded at import (dead-click detection reads them)' },
  { from: 'electron/summarize/', to: 'electron/sessions/', why: 'a summary is made from the reduced session and its stored flags' },
  { from: 'electron/samples.ts', to: 'electron/import/index.ts', why: 'type only: a sample is an ImportInput' },
]

export function allowed(fromRel, toRel) {
  const a = layerOf(fromRel)
  const b = layerOf(toRel)
  if (!a || !b) return true
  if (a.layer === b.layer && (a.layer !== 'stage' || a.unit === b.unit)) return true
  if (EXCEPTIONS.some((e) => fromRel.startsWith(e.from) && toRel.startsWith(e.to))) return true
  return MAY[a.layer].includes(b.layer)
}

export default {
  rules: {
    layers: {
      meta: { type: 'problem', schema: [], messages: { down: '{{from}} ({{a}}) may not import {{to}} ({{b}}): imports point down only (docs/ARCHITECTURE.md).' } },
      create(context) {
        const root = context.cwd
        const from = path.relative(root, context.filename)
        const check = (node) => {
          const spec = node.source?.value
          if (typeof spec !== 'string' || !spec.startsWith('.')) return
          const to = path.relative(root, path.resolve(path.dirname(context.filename), spec))
          const target = /\.[cm]?[jt]sx?$/.test(to) ? to : `${to}.ts`
          // A folder import means its index.ts.
          const resolved = STAGES.concat(['store', 'net', 'llm', 'jobs', 'app']).some((d) => to === `electron/${d}`) ? `${to}/index.ts` : target
          if (allowed(from, resolved)) return
          const a = layerOf(from)
          const b = layerOf(resolved)
          context.report({ node, messageId: 'down', data: { from, to: resolved, a: a.unit ?? a.layer, b: b.unit ?? b.layer } })
        }
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (n) => check({ ...n, source: n.source }) }
      },
    },
  },
}
