import { useEffect, useMemo, useRef, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'

interface Props<T> {
  items: T[]
  /** Each item's moment (epoch ms), ascending: the row at the playhead is marked and kept in view. */
  times: number[]
  time: number
  rowKey(item: T, i: number): string | number
  render(item: T, i: number): ReactNode
  className?: string
  testId?: string
}

/** A list that renders only the rows in view (sessions can have tens of thousands of events). */
export function VirtualList<T>({ items, times, time, rowKey, render, className, testId }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtual = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => 31, overscan: 12 })
  const current = useMemo(() => {
    // The last row at or before the playhead (binary search: the list may be long).
    let lo = 0
    let hi = times.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (times[mid]! <= time) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }, [times, time])
  useEffect(() => {
    if (current >= 0) virtual.scrollToIndex(current, { align: 'auto' })
  }, [current, virtual])

  return (
    <div className={`pane-list ${className ?? ''}`} ref={scroller} data-testid={testId}>
      <ol style={{ height: virtual.getTotalSize(), position: 'relative', margin: 0, padding: 0 }}>
        {virtual.getVirtualItems().map((row) => (
          <li
            key={rowKey(items[row.index]!, row.index)}
            data-index={row.index}
            ref={virtual.measureElement}
            className={row.index === current ? 'current' : row.index > current ? 'future' : undefined}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}
          >
            {render(items[row.index]!, row.index)}
          </li>
        ))}
      </ol>
    </div>
  )
}
