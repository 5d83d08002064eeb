import { useState } from 'react'
import { Link2 } from 'lucide-react'
import { call } from '../lib/api'
import { useQuery, useShortcut } from '../lib/hooks'

/** "Paste a replay link": pull one recording from a PostHog instance by its replay URL. */
export function PullDialog({ onClose }: { onClose(): void }) {
  const info = useQuery('app:info', {}, ['settings'])
  const settings = useQuery('settings:get', {}, ['settings'])
  const [url, setUrl] = useState('')
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const hasKey = info.data?.keys.posthog ?? false
  const canStore = info.data?.transport === 'ipc'
  useShortcut('escape', onClose)

  const submit = async () => {
    setBusy(true)
    setError(null)
    try {
      if (key.trim()) await call('keys:set', { name: 'posthog', value: key.trim() })
      await call('pull:start', { url: url.trim() })
      onClose()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <form className="modal" role="dialog" aria-modal="true" aria-label="Paste a replay link" onClick={(e) => e.stopPropagation()} onSubmit={(e) => (e.preventDefault(), void submit())}>
        <h2>
          <Link2 size={18} aria-hidden /> Open a PostHog replay link
        </h2>
        <p className="muted small">
          The recording, its metadata and the session's events are fetched with PostHog's API and imported like a file. Links from PostHog Cloud
          (US or EU) and self-hosted instances work.
        </p>
        <label className="field stacked">
          <span>Replay link</span>
          <input autoFocus value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://us.posthog.com/project/12345/replay/01a2…" aria-label="Replay link" />
        </label>
        <label className="field stacked">
          <span>Personal API key {hasKey ? <span className="badge good">set</span> : <span className="badge">not set</span>}</span>
          {canStore ? (
            <input type="password" value={key} onChange={(e) => setKey(e.target.value)} placeholder={hasKey ? 'Stored in the OS keychain — paste to replace' : 'phx_… (session_recording:read, query:read)'} autoComplete="off" />
          ) : (
            <span className="muted small">
              from <code>POSTHOG_API_KEY</code> in the environment that runs Sightline
            </span>
          )}
        </label>
        {settings.data?.offline && <p className="small text-warn">Offline mode is on: only a PostHog on this machine can be reached. Turn it off in Settings for PostHog Cloud.</p>}
        {error && <div className="banner error">{error}</div>}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="button primary" disabled={busy || !url.trim()}>Fetch and import</button>
        </div>
      </form>
    </div>
  )
}
