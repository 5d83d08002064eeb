// Clustering benchmark, side by side in one run: Gaussian blobs on the sphere (~12 blobs, 5 % uniform
// noise) at n × d, scored by ARI against the blobs (noise is its own label, as scikit-learn scores it).
//   ours        electron/cluster (PCA → exact kNN → UMAP twice → HDBSCAN), PostHog's parameters,
//               in-process; CPU ms beside wall ms (the machine is shared)
//   reference   umap-learn (Debian's `umap-learn`, PostHog's parameters: 100-D min_dist 0 + 2-D)
//               then R's dbscan::hdbscan (r-cran-dbscan) on the 100-D layout with minPts = ours'
//               min_cluster_size — an independent HDBSCAN; R has one minPts for both sizes, so
//               "ours@R" runs our HDBSCAN on the reference's own layout with the same minPts
//               (the two HDBSCANs should agree exactly there: ARI(ours@R, R) = 1).
//   npm         umap-js + hdbscan-ts as they come (the most used npm packages for each): umap-js on
//               the normalized vectors to ours' clustering dimension (min_dist 0) and to 2-D
//               (min_dist 0.1), 15 neighbours, seeded; hdbscan-ts on the first layout with ours'
//               min_cluster_size and min_samples. hdbscan-ts holds an n × n matrix: skipped above 5,000 points.
// Set-up of the references (never in npm test): apt-get install -y umap-learn r-cran-dbscan (Debian 12; the bench runs /usr/bin/python3);
// the npm packages are installed by this script into a folder of their own under the temp dir
// (npm install --prefix), never into the project.
//   npx tsx bench/cluster.ts [--sizes 1000x384,2500x3072,10000x3072] [--dims 10,100] [--no-ref | --only-ref] [--no-npm] [--no-umap] [--epochs N]
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { hdbscan } from '../electron/cluster/hdbscan'
import { clusterVectors, defaultParams } from '../electron/cluster/run'
import { Rng } from '../electron/cluster/run-pace'
import { ari, sphereBlobs } from '../test/cluster/blobs'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const sizes = (arg('--sizes') ?? '1000x384,3000x384,10000x384,1000x3072,3000x3072,10000x3072,2500x3072').split(',').map((s) => s.split('x').map(Number) as [number, number])
const dimsList = (arg('--dims') ?? '10').split(',').map(Number)
const epochs = arg('--epochs') ? Number(arg('--epochs')) : undefined
const withRef = !process.argv.includes('--no-ref')
const onlyRef = process.argv.includes('--only-ref')
// HDBSCAN straight on the (PCA) vectors: what UMAP adds.
const noUmap = process.argv.includes('--no-umap')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-cluster-'))

// umap-js + hdbscan-ts, pinned, in a folder of their own (installed once, kept between runs).
const NPM_REF = path.join(os.tmpdir(), 'sightline-bench-npm-ref')
const NPM_PACKAGES = ['umap-js@1.4.0', 'hdbscan-ts@1.0.17']
interface NpmRef {
  UMAP: new (p: Record<string, unknown>) => { fit(x: number[][]): number[][] }
  HDBSCAN: new (p: Record<string, unknown>) => { fit(x: number[][]): number[] }
}
function npmRef(): NpmRef | string {
  if (process.argv.includes('--no-npm') || onlyRef) return 'skipped'
  const req = createRequire(path.join(NPM_REF, 'package.json'))
  const load = () => ({ UMAP: (req('umap-js') as { UMAP: NpmRef['UMAP'] }).UMAP, HDBSCAN: (req('hdbscan-ts') as { HDBSCAN: NpmRef['HDBSCAN'] }).HDBSCAN })
  try {
    return load()
  } catch {
    fs.mkdirSync(NPM_REF, { recursive: true })
    if (!fs.existsSync(path.join(NPM_REF, 'package.json'))) fs.writeFileSync(path.join(NPM_REF, 'package.json'), '{"private":true}\n')
    const r = spawnSync('npm', ['install', '--prefix', NPM_REF, '--no-audit', '--no-fund', ...NPM_PACKAGES], { encoding: 'utf8' })
    if (r.status !== 0) return `npm install failed: ${r.stderr.trim().split('\n').at(-1)}`
    return load()
  }
}
const npm = npmRef()

const PY = '/usr/bin/python3'
const hasPy = withRef && spawnSync(PY, ['-c', 'import umap'], { stdio: 'ignore' }).status === 0
const hasR = withRef && spawnSync('Rscript', ['-e', 'library(dbscan)'], { stdio: 'ignore' }).status === 0

function writeNpy(file: string, rows: number, cols: number, values: Float32Array): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n'
  const head = Buffer.alloc(10 + header.length)
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head)
  head.writeUInt16LE(header.length, 8)
  head.write(header, 10, 'latin1')
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]))
}

const UMAP_PY = `
import sys, time, numpy as np, umap
x = np.load(sys.argv[1]); n = x.shape[0]
x = x / np.linalg.norm(x, axis=1, keepdims=True)
t0 = time.time(); c0 = time.process_time()
k = min(15, n - 1)
e100 = umap.UMAP(n_components=100, n_neighbors=k, min_dist=0.0, metric="euclidean", init="random", random_state=42).fit_transform(x)
t1 = time.time(); c1 = time.process_time()
e2 = umap.UMAP(n_components=2, n_neighbors=k, min_dist=0.1, metric="euclidean", init="random", random_state=42).fit_transform(x)
t2 = time.time(); c2 = time.process_time()
np.savetxt(sys.argv[2], e100, delimiter=",", fmt="%.6f")
print(f"{(t1-t0)*1000:.0f} {(c1-c0)*1000:.0f} {(t2-t1)*1000:.0f} {(c2-c1)*1000:.0f}")
`
const HDBSCAN_R = `
suppressMessages(library(dbscan))
a <- commandArgs(TRUE)
x <- as.matrix(read.csv(a[1], header = FALSE))
t <- proc.time()
h <- hdbscan(x, minPts = as.integer(a[2]))
el <- (proc.time() - t)
writeLines(as.character(h$cluster - 1), a[3])
cat(round(el[["elapsed"]] * 1000), round((el[["user.self"]] + el[["sys.self"]]) * 1000), "\\n")
`
// Not umap.py: the script's own name would shadow the umap package it imports.
fs.writeFileSync(path.join(dir, 'ref_umap.py'), UMAP_PY)
fs.writeFileSync(path.join(dir, 'hdbscan.R'), HDBSCAN_R)

const s = (ms: number) => (ms / 1000).toFixed(1)
const rows: string[] = []
console.log(`reference: ${hasPy ? 'umap-learn' : 'umap-learn not installed'}, ${hasR ? 'R dbscan::hdbscan' : 'R dbscan not installed'}, npm: ${typeof npm === 'string' ? npm : NPM_PACKAGES.join(' + ')}`)
console.log('| n × d | run | clusters | noise | ARI | topics ARI | wall s | CPU s | steps (wall s) |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const [n, d] of sizes) {
  const b = sphereBlobs({ n, d, k: 12, noise: 0.05, seed: 42, spread: 0.8 })
  for (const dims of onlyRef ? [] : dimsList) {
    const p = defaultParams(n, { clusterDim: dims, umap: !noUmap, ...(epochs ? { epochs } : {}) })
    const cpu0 = process.cpuUsage()
    const r = await clusterVectors(b.data, n, d, p)
    const cpu = process.cpuUsage(cpu0)
    const topicOf = Array.from(r.labels, (l) => (l < 0 ? -1 : r.topic.topicOfCluster[l]!))
    const t = r.timings
    const line = `| ${n} × ${d} | ours ${noUmap ? 'without UMAP' : `${dims}-D`} | ${r.clusters} | ${r.labels.filter((l) => l < 0).length} | ${ari(b.truth, r.labels).toFixed(3)} | ${ari(b.truth, topicOf).toFixed(3)} | ${s(t.total_ms)} | ${s((cpu.user + cpu.system) / 1000)} | pca ${s(t.pca_ms)}, knn ${s(t.knn_ms)}, umap ${s(t.umap_cluster_ms)} + 2-D ${s(t.umap_plot_ms)}, hdbscan ${s(t.hdbscan_ms)} |`
    console.log(line)
    rows.push(line)
  }
  if (typeof npm !== 'string') {
    const dims = dimsList[0]!
    const p = defaultParams(n)
    const x = Array.from({ length: n }, (_, i) => Array.from(b.data.subarray(i * d, i * d + d)))
    const rng = new Rng(42)
    const random = () => rng.next()
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const emb = new npm.UMAP({ nComponents: dims, nNeighbors: p.nNeighbors, minDist: 0, random }).fit(x)
    const t1 = performance.now()
    new npm.UMAP({ nComponents: 2, nNeighbors: p.nNeighbors, minDist: 0.1, random }).fit(x)
    const t2 = performance.now()
    let labels: number[] | null = null
    if (n <= 5000) labels = new npm.HDBSCAN({ minClusterSize: p.minClusterSize, minSamples: p.minSamples }).fit(emb)
    const t3 = performance.now()
    const cpu = process.cpuUsage(cpu0)
    const line = labels
      ? `| ${n} × ${d} | npm: umap-js ${dims}-D + 2-D, hdbscan-ts | ${new Set(labels.filter((l) => l >= 0)).size} | ${labels.filter((l) => l < 0).length} | ${ari(b.truth, labels).toFixed(3)} | – | ${s(t3 - t0)} | ${s((cpu.user + cpu.system) / 1000)} | umap ${s(t1 - t0)} + 2-D ${s(t2 - t1)}, hdbscan ${s(t3 - t2)} |`
      : `| ${n} × ${d} | npm: umap-js ${dims}-D + 2-D (hdbscan-ts skipped: n × n memory) | – | – | – | – | ${s(t2 - t0)} | ${s((cpu.user + cpu.system) / 1000)} | umap ${s(t1 - t0)} + 2-D ${s(t2 - t1)} |`
    console.log(line)
    rows.push(line)
  }
  if (!hasPy) continue
  const npy = path.join(dir, `x-${n}-${d}.npy`)
  const csv = path.join(dir, `e100-${n}-${d}.csv`)
  writeNpy(npy, n, d, b.data)
  const py = spawnSync(PY, [path.join(dir, 'ref_umap.py'), npy, csv], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (py.status !== 0) {
    console.log(`| ${n} × ${d} | reference | umap-learn failed: ${py.stderr.trim().split('\n').at(-1)} |`)
    continue
  }
  const [w100, c100, w2, c2] = py.stdout.trim().split(/\s+/).map(Number) as [number, number, number, number]
  const mcs = defaultParams(n).minClusterSize
  if (hasR) {
    const out = path.join(dir, `labels-${n}-${d}.txt`)
    const rr = spawnSync('Rscript', [path.join(dir, 'hdbscan.R'), csv, String(mcs), out], { encoding: 'utf8' })
    if (rr.status !== 0) {
      console.log(`| ${n} × ${d} | reference | R hdbscan failed: ${rr.stderr.trim().split('\n').at(-1)} |`)
      continue
    }
    const [wr, cr] = rr.stdout.trim().split(/\s+/).map(Number) as [number, number]
    const ref = fs.readFileSync(out, 'utf8').trim().split('\n').map(Number)
    const refClusters = new Set(ref.filter((l) => l >= 0)).size
    const line = `| ${n} × ${d} | umap-learn 100-D + R hdbscan (minPts ${mcs}) | ${refClusters} | ${ref.filter((l) => l < 0).length} | ${ari(b.truth, ref).toFixed(3)} | – | ${s(w100 + w2 + wr)} | ${s(c100 + c2 + cr)} | umap ${s(w100)} + 2-D ${s(w2)}, hdbscan ${s(wr)} |`
    console.log(line)
    rows.push(line)
    // Our HDBSCAN on the reference's layout with R's single minPts: the two implementations side by side.
    const e100 = Float32Array.from(fs.readFileSync(csv, 'utf8').trim().split('\n').flatMap((l) => l.split(',').map(Number)))
    const t0 = performance.now()
    const h = await hdbscan(e100, n, 100, { minClusterSize: mcs, minSamples: mcs })
    const line2 = `| ${n} × ${d} | ours@R: our HDBSCAN on that layout (minPts ${mcs}) | ${h.clusters} | ${h.labels.filter((l) => l < 0).length} | ${ari(b.truth, h.labels).toFixed(3)} | ARI vs R ${ari(ref, h.labels).toFixed(3)} | ${s(performance.now() - t0)} | | |`
    console.log(line2)
    rows.push(line2)
  }
}
fs.rmSync(dir, { recursive: true, force: true })
