import { useEffect, useState } from 'react'
import type { Settings } from '../../shared/model'
import { call } from '../lib/api'
import { useQuery } from '../lib/hooks'

const MODELS: Record<Settings['provider'], string> = { none: '', openai: 'gpt-4.1-mini', gemini: 'gemini-2.5-flash' }

export function SettingsPage() {
  const settings = useQuery('settings:get', {}, ['settings'])
  const info = useQuery('app:info', {}, ['settings'])
  const [draft, setDraft] = useState<Settings>()
  const [status, setStatus] = useState<{ text: string; bad?: boolean } | null>(null)
  useEffect(() => setDraft(settings.data), [settings.data])
  if (!draft || !info.data) return <section className="page"><h1>Settings</h1></section>

  const save = async (patch: Partial<Settings>) => {
    const next = { ...draft, ...patch }
    setDraft(next)
    try {
      await call('settings:set', patch)
      setStatus({ text: 'Saved' })
    } catch (e) {
      setStatus({ text: (e as Error).message, bad: true })
    }
  }
  const isLoopback = /^https?:\/\/(localhost|127\.|\[::1\])/.test(draft.base_url)
  const cloud = draft.provider === 'gemini' || (draft.provider === 'openai' && !isLoopback)

  return (
    <section className="page settings">
      <header className="page-head">
        <h1>Settings</h1>
        <div className="spacer" />
        {status && <span className={status.bad ? 'text-bad' : 'muted'} role="status">{status.text}</span>}
      </header>

      <fieldset className="card">
        <legend>Model provider</legend>
        {draft.offline && cloud && (
          <div className="banner warn" role="status">
            Offline mode is on, so {draft.provider === 'gemini' ? 'Gemini' : 'OpenAI'} in the cloud cannot be reached. Turn offline mode off
            below to use it{draft.provider === 'openai' ? ', or set the base URL to a model server on this machine' : ''}.
          </div>
        )}
        <label className="field">
          <span>Provider</span>
          <select value={draft.provider} onChange={(e) => { const provider = e.target.value as Settings['provider']; void save({ provider, model: draft.model || MODELS[provider] }) }}>
            <option value="none">None — offline heuristics only</option>
            <option value="openai">OpenAI or any OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM)</option>
            <option value="gemini">Google Gemini</option>
          </select>
        </label>
        <label className="field">
          <span>Model</span>
          <input value={draft.model} disabled={draft.provider === 'none'} placeholder={MODELS[draft.provider]} onChange={(e) => setDraft({ ...draft, model: e.target.value })} onBlur={() => void save({ model: draft.model })} />
        </label>
        <label className="field">
          <span>Base URL</span>
          <input value={draft.base_url} disabled={draft.provider !== 'openai'} placeholder="http://127.0.0.1:11434/v1 for a local server; empty for OpenAI" onChange={(e) => setDraft({ ...draft, base_url: e.target.value })} onBlur={() => void save({ base_url: draft.base_url.trim() })} />
        </label>
        <label className="field">
          <span>Embedding model</span>
          <input value={draft.embedding_model} disabled={draft.provider === 'none'} data-testid="embedding-model" placeholder={draft.provider === 'gemini' ? 'gemini-embedding-001' : draft.base_url ? 'required for a local server, e.g. nomic-embed-text' : 'text-embedding-3-large'} onChange={(e) => setDraft({ ...draft, embedding_model: e.target.value })} onBlur={() => void save({ embedding_model: draft.embedding_model.trim() })} />
        </label>
        <div className="field">
          <span>API keys</span>
          <div className="keys">
            <KeyRow name="openai" label="OpenAI" env="OPENAI_API_KEY" present={info.data.keys.openai} canStore={info.data.transport === 'ipc'} onSaved={() => info.reload()} />
            <KeyRow name="gemini" label="Gemini" env="GEMINI_API_KEY" present={info.data.keys.gemini} canStore={info.data.transport === 'ipc'} onSaved={() => info.reload()} />
            <KeyRow name="posthog" label="PostHog" env="POSTHOG_API_KEY" present={info.data.keys.posthog} canStore={info.data.transport === 'ipc'} onSaved={() => info.reload()} />
          </div>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Privacy</legend>
        <label className="switch-row">
          <input type="checkbox" role="switch" checked={draft.offline} onChange={(e) => void save({ offline: e.target.checked })} />
          <span>
            <strong>Offline mode</strong>
            <span className="muted block">
              No request leaves this machine except to loopback (a local model server).
            </span>
          </span>
        </label>
        <label className="switch-row">
          <input type="checkbox" role="switch" checked={draft.clip_mask_text} onChange={(e) => void save({ clip_mask_text: e.target.checked })} aria-label="Mask all text in clips sent to a model" />
          <span>
            <strong>Mask all text in clips sent to a model</strong>
            <span className="muted block">
              Redaction works on text, not on pixels: a clip shows what the page showed. With this on, every recorded text is drawn as asterisks in clips a model is sent (inputs stay masked as they were recorded).
            </span>
          </span>
        </label>
      </fieldset>

      <fieldset className="card">
        <legend>Appearance</legend>
        <label className="field">
          <span>Theme</span>
          <select value={draft.theme} onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </fieldset>

      <fieldset className="card">
        <legend>About</legend>
        <dl className="facts compact">
          <div><dt>Version</dt><dd>{info.data.version}</dd></div>
          <div><dt>Running as</dt><dd>{info.data.transport === 'ipc' ? 'Desktop app' : 'Web mode (127.0.0.1)'}</dd></div>
          <div className="wide"><dt>Database</dt><dd className="mono">{info.data.db_path}</dd></div>
          <div className="wide"><dt>ffmpeg</dt><dd className="mono">{info.data.ffmpeg ?? 'not found — set FFMPEG_PATH to render clips'}</dd></div>
        </dl>
      </fieldset>
    </section>
  )
}

function KeyRow(props: { name: 'openai' | 'gemini' | 'posthog'; label: string; env: string; present: boolean; canStore: boolean; onSaved: () => void }) {
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <div className="key-row">
      <span className="key-name">{props.label}</span>
      <span className={`badge ${props.present ? 'good' : ''}`}>{props.present ? 'set' : 'not set'}</span>
      {props.canStore ? (
        <>
          <input type="password" value={value} placeholder="Paste a key to store it in the OS keychain" autoComplete="off" onChange={(e) => setValue(e.target.value)} />
          <button className="button" disabled={!value} onClick={() => call('keys:set', { name: props.name, value }).then(() => (setValue(''), setError(null), props.onSaved())).catch((e: Error) => setError(e.message))}>
            Store
          </button>
        </>
      ) : (
        <span className="muted small">from <code>{props.env}</code> in the environment that runs Sightline</span>
      )}
      {error && <span className="text-bad small">{error}</span>}
    </div>
  )
}
