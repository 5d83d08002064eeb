// `npm start`: build, then launch the Electron app. When Electron cannot start here (its binary is
// missing and cannot be fetched, or there is no display) say so in one line and serve web mode.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1

if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1)

function whyNoElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)'
  try {
    // Resolving the path triggers Electron's on-demand binary download, which fails offline.
    const result = spawnSync(process.execPath, ['-e', 'require("electron")'], { encoding: 'utf8', timeout: 120_000 })
    if (result.status !== 0) return 'its binary is missing and could not be downloaded'
  } catch {
    return 'its binary is missing and could not be downloaded'
  }
  return null
}

const why = whyNoElectron()
if (why === null) {
  const electron = spawn(require('electron'), ['.'], { stdio: 'inherit' })
  const started = Date.now()
  electron.on('exit', (code) => {
    // A crash within seconds of launch means Electron cannot run here; anything later is the user quitting.
    if (code !== 0 && Date.now() - started < 5_000) serveWeb(`it exited with code ${code} at start-up`)
    else process.exit(code ?? 0)
  })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => electron.kill(sig))
} else {
  serveWeb(why)
}

function serveWeb(reason) {
  console.log(`Electron cannot start here (${reason}); serving web mode instead.`)
  const child = spawn(process.execPath, ['bin/sightline.mjs', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' })
  // Ctrl-C reaches the child through the terminal's process group too; a signal sent to this
  // process alone (npm, a supervisor) is passed on as SIGTERM, which the server handles the same.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill('SIGTERM'))
  child.on('exit', (code) => process.exit(code ?? 0))
}
