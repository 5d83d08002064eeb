// Short aliases for values that repeat in the event table (URLs, tabs, long selectors). The model
// reads `url_3` a dozen times and the full URL once, in the mapping sent with the table.

export class Aliases {
  private readonly maps = new Map<string, Map<string, string>>()

  /** The alias of `value` in family `prefix` (url, tab, el), allocated on first sight. */
  of(prefix: string, value: string): string {
    let m = this.maps.get(prefix)
    if (!m) this.maps.set(prefix, (m = new Map()))
    let a = m.get(value)
    if (!a) m.set(value, (a = `${prefix}_${m.size + 1}`))
    return a
  }

  /** [alias, value] rows of one family, in allocation order. */
  entries(prefix: string): [string, string][] {
    return [...(this.maps.get(prefix) ?? new Map<string, string>())].map(([v, a]) => [a, v])
  }
}

// Selectors shorter than this cost fewer tokens inline than as an alias plus its mapping row.
export const LONG_SELECTOR = 24
