const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ 1 – 4', 'Library, Session, Clusters, Settings'],
  ['Ctrl/⌘ O', 'Import files'],
  ['/', 'Search the list'],
  ['↑ ↓', 'Move through the list'],
  ['Enter', 'Open the selected row'],
  ['?', 'Show or hide this list'],
  ['Esc', 'Close'],
]

export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([k, v]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <button className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </div>
  )
}
