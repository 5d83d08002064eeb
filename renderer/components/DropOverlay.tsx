import { useEffect, useState } from 'react'
import { FileUp } from 'lucide-react'

/** Files dropped anywhere on the window are imported; the overlay shows while dragging. */
export function DropOverlay({ onFiles }: { onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false)
  useEffect(() => {
    let depth = 0
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false
    const enter = (e: DragEvent) => hasFiles(e) && (depth++, setOver(true))
    const leave = (e: DragEvent) => hasFiles(e) && --depth <= 0 && ((depth = 0), setOver(false))
    const overFn = (e: DragEvent) => hasFiles(e) && e.preventDefault()
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth = 0
      setOver(false)
      onFiles([...(e.dataTransfer?.files ?? [])])
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('dragover', overFn)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('dragover', overFn)
      window.removeEventListener('drop', drop)
    }
  }, [onFiles])
  if (!over) return null
  return (
    <div className="drop-overlay" aria-hidden>
      <div className="drop-card">
        <FileUp size={40} />
        <strong>Drop to import</strong>
        <span className="muted">rrweb recordings, PostHog exports and events, LLM traces — .gz too</span>
      </div>
    </div>
  )
}
