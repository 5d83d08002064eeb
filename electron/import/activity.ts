// Active time as PostHog's player counts it: the sum of gaps <= 5 s between consecutive activity
// events. Stored per chunk as spans; spans from any chunk or window merge exactly into the total.
import { ACTIVITY_GAP_MS } from './window-builder'

export function activeMs(spans: [number, number][]): number {
  if (spans.length === 0) return 0
  const s = [...spans].sort((a, b) => a[0] - b[0])
  let total = 0
  let [start, end] = s[0]!
  for (let i = 1; i < s.length; i++) {
    const [a, b] = s[i]!
    if (a - end <= ACTIVITY_GAP_MS) end = Math.max(end, b)
    else {
      total += end - start
      ;[start, end] = [a, b]
    }
  }
  return total + (end - start)
}
