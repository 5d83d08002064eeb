// The topic step's parts: the clusters' word distances (c-TF-IDF), grouping by words when there are
// texts, and placing noise points in topics (reduce_outliers by embeddings) at any cut.
import { describe, expect, it } from 'vitest'
import { outlierModel, outlierTopics, topicsOf, wordDistances, wordsApart, wordsOf } from '../../electron/cluster/topics'

/** Rows of 2-D unit vectors at the given angles (degrees). */
const at = (...deg: number[]) => Float32Array.from(deg.flatMap((a) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)]))

describe('wordDistances', () => {
  it('is 0 between clusters of the same words, 1 between clusters sharing none; null when a cluster has no text', () => {
    const labels = Int32Array.from([0, 0, 1, 1, 2, 2, -1])
    const texts = ['refund order', 'refund order', 'refund order', 'order refund', 'password reset', 'reset password login', 'noise words']
    const d = wordDistances(wordsOf(texts), labels, 3)!
    expect(d[0 * 3 + 1]).toBeCloseTo(0, 6)
    expect(d[0 * 3 + 2]).toBeCloseTo(1, 6)
    expect(wordDistances(wordsOf([...texts.slice(0, 4), null, null, null]), labels, 3)).toBeNull()
  })
})

/** `n` texts of three words each drawn in turn from `vocab`, so every half of them holds the same words. */
const textsOf = (vocab: string[], n: number) => Array.from({ length: n }, (_, i) => [0, 1, 2].map((k) => vocab[(i + k) % vocab.length]).join(' '))
const REFUND = ['refund', 'order', 'money', 'card', 'charge', 'return']
const PRIVACY = ['privacy', 'export', 'data', 'gdpr', 'delete', 'account']

describe('wordsApart', () => {
  const labelsOf = (...sizes: number[]) => Int32Array.from(sizes.flatMap((n, c) => Array<number>(n).fill(c)))

  it('tells apart big clusters of other words, not big clusters of the same words, nor small ones', () => {
    const K = 3
    const apart = wordsApart(wordsOf([...textsOf(REFUND, 12), ...textsOf(PRIVACY, 12), ...textsOf(REFUND, 12)]), labelsOf(12, 12, 12), K)
    expect(apart[0 * K + 1]).toBe(1)
    expect(apart[1 * K + 2]).toBe(1)
    expect(apart[0 * K + 2]).toBe(0)
    // Six members each: their halves hold too few words to be sure.
    const small = wordsApart(wordsOf([...textsOf(REFUND, 6), ...textsOf(PRIVACY, 6)]), labelsOf(6, 6), 2)
    expect(small[1]).toBe(0)
  })
})

describe('topicsOf', () => {
  it('counts two clusters as two topics when their centroids are close but their words are apart (unless a number is asked)', async () => {
    // Clusters 0 and 1 two degrees apart, cluster 2 at 90: by centroids alone, two topics.
    const angles = [...Array.from({ length: 12 }, (_, i) => i / 10), ...Array.from({ length: 12 }, (_, i) => 2 + i / 10), ...Array.from({ length: 12 }, (_, i) => 90 + i / 10)]
    const labels = Int32Array.from(angles.map((_, i) => Math.floor(i / 12)))
    const texts = [...textsOf(REFUND, 12), ...textsOf(PRIVACY, 12), ...textsOf(['password', 'reset', 'login', 'email', 'link', 'locked'], 12)]
    expect((await topicsOf(at(...angles), 36, 2, labels, 3, undefined)).topics).toBe(2)
    const byWords = await topicsOf(at(...angles), 36, 2, labels, 3, undefined, undefined, texts)
    expect(byWords.topics).toBe(3)
    expect(new Set(byWords.topicOfCluster).size).toBe(3)
    expect((await topicsOf(at(...angles), 36, 2, labels, 3, 2, undefined, texts)).topics).toBe(2)
  })

  // Four clusters: by angle 0 and 1 are close, 2 and 3 are close; by words 0 goes with 2, 1 with 3.
  const vectors = at(0, 2, 10, 12, 90, 92, 100, 102)
  const labels = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3])
  const texts = ['refund order', 'refund order', 'password reset', 'password reset', 'refund money', 'refund order', 'password login', 'reset password']

  it('groups the clusters by their words when there are texts, by their centroids without', async () => {
    const words = await topicsOf(vectors, 8, 2, labels, 4, 2, undefined, texts)
    expect(words.tree).toBe('words')
    expect(Array.from(words.topicOfCluster)).toEqual([0, 1, 0, 1])
    const centroids = await topicsOf(vectors, 8, 2, labels, 4, 2)
    expect(centroids.tree).toBe('centroids')
    expect(Array.from(centroids.topicOfCluster)).toEqual([0, 0, 1, 1])
  })
})

describe('outlierTopics', () => {
  // Two topics of two clusters each (angles 0–30 and 90–120); noise at 14 (inside the first
  // topic's reach), 60 (between, nearer to no topic than its members) and 200 (far from both).
  const vectors = at(0, 5, 25, 30, 90, 95, 115, 120, 14, 60, 200)
  const labels = Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3, -1, -1, -1])
  const merges: [number, number, number][] = [[0, 1, 0.05], [2, 3, 0.05], [4, 5, 0.9]]

  it('a noise point joins its nearest topic when it is as close as that topic’s farthest member; far ones stay −1', () => {
    const m = outlierModel(vectors, 11, 2, labels, 4, merges)
    expect(m.points).toEqual([8, 9, 10])
    expect(Object.fromEntries(outlierTopics(m, merges, 4, 2))).toEqual({ 8: 0, 9: -1, 10: -1 })
    // At 4 topics (every cluster its own) the point at 14° is farther from cluster 0 (0–5°) and 1 (25–30°) than their members: −1.
    expect(Object.fromEntries(outlierTopics(m, merges, 4, 4))).toEqual({ 8: -1, 9: -1, 10: -1 })
    // At 1 topic its reach spans 0–120°: the point at 60° joins; the one at 200° still does not.
    expect(Object.fromEntries(outlierTopics(m, merges, 4, 1))).toEqual({ 8: 0, 9: 0, 10: -1 })
  })

  it('survives JSON (it is stored with a run) and places the same', () => {
    const m = outlierModel(vectors, 11, 2, labels, 4, merges)
    const back = JSON.parse(JSON.stringify(m)) as typeof m
    for (const k of [1, 2, 3, 4]) expect(outlierTopics(back, merges, 4, k)).toEqual(outlierTopics(m, merges, 4, k))
  })
})
