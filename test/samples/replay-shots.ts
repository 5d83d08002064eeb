// Looks at the shipped recording the way a viewer would: replays it with rrweb's Replayer in
// headless Chromium and saves screenshots at the given offsets (seconds from the start).
//   npx tsx test/samples/replay-shots.ts [OUT_DIR] [SECONDS...]   e.g. /tmp/shots 14 26 62 65
import fs from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, packageDir } from './record-demo'

const [outDir = '/tmp/sightline-sample-shots', ...secs] = process.argv.slice(2)
const offsets = (secs.length ? secs : ['14', '26', '62', '65']).map((s) => Number(s) * 1000)
const events = fs.readFileSync(path.resolve(import.meta.dirname, '../../resources/samples/demo-shop.rrweb.json'), 'utf8')
const rrweb = packageDir('rrweb')

fs.mkdirSync(outDir, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
const page = await browser.newPage({ viewport: { width: 1300, height: 830 } })
await page.setContent(`<html><head><style>${fs.readFileSync(path.join(rrweb, 'dist/style.css'), 'utf8')}</style></head><body style="margin:0"><div id=root></div></body></html>`)
await page.addScriptTag({ content: fs.readFileSync(path.join(rrweb, 'dist/rrweb.umd.min.cjs'), 'utf8') })
await page.evaluate(`window.replayer = new rrweb.Replayer(${events}, { root: document.getElementById('root'), mouseTail: false }); 0`)
for (const ms of offsets) {
  await page.evaluate(`replayer.pause(${ms}); 0`)
  await page.waitForTimeout(700) // let images and fonts settle
  const file = path.join(outDir, `replay-${ms / 1000}s.png`)
  await page.screenshot({ path: file })
  console.log(file)
}
await browser.close()
