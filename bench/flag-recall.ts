// Flag recall and flags per problem on every developer sample and the bundled demo (issue 13).
// Run: npx tsx bench/flag-recall.ts
import { tempDir } from '../test/helpers'
import { measureRecall, totals } from '../test/summary/recall'

const tmp = tempDir('sightline-recall-')
try {
  const rows = await measureRecall(tmp.dir)
  for (const r of rows) console.log(`${r.file.padEnd(58)} problems ${r.problems} (visible ${r.visible})  found ${r.found}  flags ${r.flags}${r.missed.length ? `  missed: ${r.missed.join(', ')}` : ''}`)
  const t = totals(rows)
  console.log(
    `\nrecall ${t.found}/${t.problems} = ${t.recall.toFixed(2)}; of problems the file shows: ${t.foundVisible}/${t.visible} = ${t.recallVisible.toFixed(2)}; ` +
      `non-noise flags per problem ${t.flagsPerProblem.toFixed(2)}; non-noise flags on problem-free files ${t.flagsOnCleanFiles}`,
  )
} finally {
  tmp.cleanup()
}
