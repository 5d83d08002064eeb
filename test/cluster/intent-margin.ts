// How well vectors keep traces of one ground-truth intent together: the mean cosine similarity of
// pairs with the same intent minus that of pairs with different intents (the margin), and the
// share of traces whose nearest neighbour has their intent (1-NN accuracy).
export interface Separation {
  within: number
  between: number
  margin: number
  nn_accuracy: number
}

export function separation(vectors: ArrayLike<number>[], labels: string[]): Separation {
  const unit = vectors.map((v) => {
    const n = Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0)) || 1
    return Array.from(v, (x) => x / n)
  })
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0)
  let wSum = 0
  let wN = 0
  let bSum = 0
  let bN = 0
  let hits = 0
  for (let i = 0; i < unit.length; i++) {
    let best = -Infinity
    let bestLabel = ''
    for (let j = 0; j < unit.length; j++) {
      if (i === j) continue
      const c = cos(unit[i]!, unit[j]!)
      if (j > i && labels[i] === labels[j]) {
        wSum += c
        wN++
      } else if (j > i) {
        bSum += c
        bN++
      }
      if (c > best) {
        best = c
        bestLabel = labels[j]!
      }
    }
    if (bestLabel === labels[i]) hits++
  }
  const within = wSum / wN
  const between = bSum / bN
  return { within, between, margin: within - between, nn_accuracy: hits / unit.length }
}
