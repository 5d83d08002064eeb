import { useEffect, useRef, useState, type ReactNode } from 'react'
import { ArrowDown, ArrowUp } from 'lucide-react'

export interface Column<T, K extends string> {
  key: K | string
  label: string
  render(row: T): ReactNode
  sortable?: boolean
  align?: 'right'
  width?: string
}

interface Props<T, K extends string> {
  rows: T[]
  columns: Column<T, K>[]
  rowKey(row: T): string
  sort: K
  dir: 'asc' | 'desc'
  onSort(key: K): void
  onOpen?(row: T): void
  label: string
}

/** A sortable table whose rows are reachable with ↑/↓ and opened with Enter or a click. */
export function DataTable<T, K extends string>({ rows, columns, rowKey, sort, dir, onSort, onOpen, label }: Props<T, K>) {
  const [focus, setFocus] = useState(0)
  const body = useRef<HTMLTableSectionElement>(null)
  useEffect(() => setFocus((f) => Math.min(f, Math.max(0, rows.length - 1))), [rows.length])

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to))
    setFocus(next)
    ;(body.current?.children[next] as HTMLElement | undefined)?.focus()
  }

  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => {
            const active = c.key === sort
            return (
              <th
                key={c.key}
                style={{ width: c.width, textAlign: c.align }}
                aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sortable ? (
                  <button className={`th-button${active ? ' active' : ''}`} onClick={() => onSort(c.key as K)}>
                    {c.label}
                    {active && (dir === 'asc' ? <ArrowUp size={12} /> : <ArrowDown size={12} />)}
                  </button>
                ) : (
                  c.label
                )}
              </th>
            )
          })}
        </tr>
      </thead>
      <tbody ref={body}>
        {rows.map((row, i) => (
          <tr
            key={rowKey(row)}
            tabIndex={i === focus ? 0 : -1}
            className={onOpen ? 'clickable' : undefined}
            onClick={() => onOpen?.(row)}
            onFocus={() => setFocus(i)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') return onOpen?.(row)
              const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: rows.length - 1 }[e.key]
              if (to === undefined) return
              e.preventDefault()
              move(to)
            }}
          >
            {columns.map((c) => (
              <td key={c.key} style={{ textAlign: c.align }}>
                {c.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
