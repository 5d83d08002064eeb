// Preload (`node --import`) that records every outbound connection attempt and DNS lookup of the
// process to the JSON-lines file named by SIGHTLINE_NET_LOG, before anything is sent: the
// socket-level proof that offline mode talks to nothing but loopback. Records, never blocks.
// Worker threads (jobs such as embed and pull run in one) have their own `net` and `dns`, and Node
// 20 does not run `--import` in eval workers (how jobs start from source): every Worker is started
// here as an eval worker that loads this file first.
import dns from 'node:dns'
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import net from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import workers from 'node:worker_threads'

const file = process.env.SIGHTLINE_NET_LOG
if (!file) throw new Error('record-connects.mjs: set SIGHTLINE_NET_LOG to the file to record to')
const record = (entry) => fs.appendFileSync(file, JSON.stringify({ pid: process.pid, thread: workers.threadId, ...entry }) + '\n')

// Socket.prototype.connect(options | port, host | path): tls.connect and undici end here too.
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const a = Array.isArray(args[0]) ? args[0][0] : args[0]
  if (a && typeof a === 'object') record({ kind: 'connect', host: a.host ?? (a.path ? null : 'localhost'), port: a.port ?? null, path: a.path ?? null })
  else if (typeof a === 'number' || /^\d+$/.test(String(a))) record({ kind: 'connect', host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(a), path: null })
  else record({ kind: 'connect', host: null, port: null, path: String(a) })
  return connect.apply(this, args)
}

const lookup = dns.lookup
dns.lookup = function (hostname, ...rest) {
  record({ kind: 'dns', host: hostname })
  return lookup.call(this, hostname, ...rest)
}
const plookup = dns.promises.lookup
dns.promises.lookup = function (hostname, ...rest) {
  record({ kind: 'dns', host: hostname })
  return plookup.call(this, hostname, ...rest)
}
// An eval worker's code runs as CommonJS (require of this ES module works from Node 20.19); a file
// worker becomes an eval worker that requires this file, then imports the original.
const SELF = fileURLToPath(import.meta.url)
const Worker = workers.Worker
workers.Worker = class RecordedWorker extends Worker {
  constructor(what, options = {}) {
    const href = what instanceof URL ? what.href : options.eval ? null : pathToFileURL(String(what)).href
    const code = href ? `import(${JSON.stringify(href)})` : String(what)
    super(`require(${JSON.stringify(SELF)});\n${code}`, { ...options, eval: true })
  }
}

syncBuiltinESMExports()
