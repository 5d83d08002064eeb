const GROUPS: [string, [string, string][]][] = [
  [
    'Everywhere',
    [
      ['Ctrl/⌘ 1 – 4', 'Library, Session, Clusters, Settings'],
      ['Ctrl/⌘ O', 'Import files'],
      ['?', 'Show or hide this list'],
      ['Esc', 'Close'],
    ],
  ],
  [
    'Library',
    [
      ['/', 'Search the list'],
      ['↑ ↓', 'Move through the list'],
      ['Enter', 'Open the selected row'],
    ],
  ],
  [
    'Replay',
    [
      ['Space', 'Play / pause'],
      ['← →', '5 seconds back / forward'],
      ['Shift ← →', '1 minute back / forward'],
      ['1 – 5', 'Speed 1×, 2×, 4×, 8×, 16×'],
      ['i', 'Skip inactivity on / off'],
      ['f', 'Full screen'],
    ],
  ],
]

export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        {GROUPS.map(([title, keys]) => (
          <section key={title}>
            <h3>{title}</h3>
            <dl className="shortcuts">
              {keys.map(([k, v]) => (
                <div key={k}>
                  <dt>
                    <kbd>{k}</kbd>
                  </dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <button className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </div>
  )
}
