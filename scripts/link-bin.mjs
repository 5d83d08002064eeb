// npm links the bins of dependencies into node_modules/.bin but not the project's own; link
// `sightline` there too, so scripts and tools in this folder can call it by name.
import fs from 'node:fs'
import path from 'node:path'

const binDir = path.join('node_modules', '.bin')
const target = path.join(binDir, 'sightline')
fs.mkdirSync(binDir, { recursive: true })
fs.rmSync(target, { force: true })
if (process.platform === 'win32') {
  fs.writeFileSync(target + '.cmd', '@node "%~dp0\\..\\..\\bin\\sightline.mjs" %*\r\n')
} else {
  fs.symlinkSync(path.join('..', '..', 'bin', 'sightline.mjs'), target)
}
