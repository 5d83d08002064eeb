// Preload (`node --import`) that records every outbound connection attempt and DNS lookup of the
// process to the JSON-lines file named by SIGHTLINE_NET_LOG, before anything is sent: the
// socket-level proof that offline mode talks to nothing but loopback. Records, never blocks.
import dns from 'node:dns'
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import net from 'node:net'

const file = process.env.SIGHTLINE_NET_LOG
if (!file) throw new Error('record-connects.mjs: set SIGHTLINE_NET_LOG to the file to record to')
const record = (entry) => fs.appendFileSync(file, JSON.stringify({ pid: process.pid, ...entry }) + '\n')

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
syncBuiltinESMExports()
