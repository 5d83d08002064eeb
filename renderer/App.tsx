import { useCallback, useEffect, useRef, useState } from 'react'
import { Boxes, Library as LibraryIcon, PlayCircle, Settings as SettingsIcon } from 'lucide-react'
import type { Settings } from '../shared/model'
import { DropOverlay } from './components/DropOverlay'
import { StatusBar } from './components/StatusBar'
import { ShortcutsOverlay } from './components/ShortcutsOverlay'
import { subscribe } from './lib/api'
import { useQuery, useShortcut, useShortcuts } from './lib/hooks'
import { importFiles } from './lib/imports'
import { go, href, useRoute, type Route } from './lib/route'
import { ClustersPage } from './pages/Clusters'
import { LibraryPage } from './pages/Library'
import { SessionPage } from './pages/Session'
import { SettingsPage } from './pages/Settings'
import { TracePage } from './pages/Trace'

const NAV = [
  { route: { page: 'library', tab: 'sessions' }, label: 'Library', icon: LibraryIcon, key: '1' },
  { route: { page: 'session', id: '', t: null }, label: 'Session', icon: PlayCircle, key: '2' },
  { route: { page: 'clusters' }, label: 'Clusters', icon: Boxes, key: '3' },
  { route: { page: 'settings' }, label: 'Settings', icon: SettingsIcon, key: '4' },
] as const satisfies readonly { route: Route; label: string; icon: unknown; key: string }[]

function useTheme(theme: Settings['theme'] | undefined): void {
  useEffect(() => {
    if (theme && theme !== 'system') document.documentElement.dataset.theme = theme
    else delete document.documentElement.dataset.theme
  }, [theme])
}

export function App() {
  const route = useRoute()
  const settings = useQuery('settings:get', {}, ['settings'])
  useTheme(settings.data?.theme)
  const [lastSession, setLastSession] = useState<string | null>(null)
  const [importError, setImportError] = useState<string | null>(null)
  const [stage, setStage] = useState('')
  const [help, setHelp] = useState(false)
  const picker = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (route.page === 'session') setLastSession(route.id)
  }, [route])
  useEffect(() => subscribe('navigate', ({ hash }) => void (location.hash = hash)), [])

  const onFiles = useCallback((files: File[]) => {
    if (files.length === 0) return
    setImportError(null)
    importFiles(files, setStage).catch((e: Error) => {
      setStage('')
      setImportError(e.message)
    })
  }, [])

  const openPicker = useCallback(() => picker.current?.click(), [])
  useShortcut('mod+o', openPicker)
  useShortcut('?', () => setHelp((h) => !h))
  useShortcut('escape', () => setHelp(false), help)
  useShortcuts(Object.fromEntries(NAV.map((item) => [`mod+${item.key}`, () => navigate(item.route)])))

  function navigate(r: Route) {
    if (r.page === 'session') return lastSession ? go({ page: 'session', id: lastSession, t: null }) : go({ page: 'library', tab: 'sessions' })
    go(r)
  }

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand" title="Sightline">
          <span className="brand-mark" aria-hidden>◉</span>
          <span className="brand-name">Sightline</span>
        </div>
        {NAV.map((item) => {
          const active = item.route.page === route.page || (item.route.page === 'library' && route.page === 'trace')
          const disabled = item.route.page === 'session' && !lastSession
          const Icon = item.icon
          return (
            <a
              key={item.label}
              className={`nav-item${active ? ' active' : ''}${disabled ? ' disabled' : ''}`}
              href={item.route.page === 'session' ? (lastSession ? href({ page: 'session', id: lastSession, t: null }) : undefined) : href(item.route)}
              aria-current={active ? 'page' : undefined}
              aria-disabled={disabled || undefined}
              title={`${item.label} (Ctrl+${item.key})${disabled ? ' — open a session from the Library first' : ''}`}
            >
              <Icon size={18} aria-hidden />
              <span>{item.label}</span>
            </a>
          )
        })}
        <div className="sidebar-foot">
          <span className={`mode-pill ${settings.data?.offline ? 'offline' : 'online'}`} title="Settings → Offline mode">
            {settings.data?.offline ? 'Offline' : settings.data?.provider ?? '…'}
          </span>
        </div>
      </nav>
      <main className="content">
        {importError && (
          <div className="banner error" role="alert">
            <span>{importError}</span>
            <button className="link" onClick={() => setImportError(null)}>Dismiss</button>
          </div>
        )}
        {route.page === 'library' && <LibraryPage tab={route.tab} onImport={openPicker} />}
        {route.page === 'session' && <SessionPage id={route.id} t={route.t} />}
        {route.page === 'trace' && <TracePage id={route.id} />}
        {route.page === 'clusters' && <ClustersPage route={route} />}
        {route.page === 'settings' && <SettingsPage />}
      </main>
      <StatusBar stage={stage} onHelp={() => setHelp(true)} />
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="file-picker"
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])])
          e.target.value = ''
        }}
      />
      <DropOverlay onFiles={onFiles} />
      {help && <ShortcutsOverlay onClose={() => setHelp(false)} />}
    </div>
  )
}
