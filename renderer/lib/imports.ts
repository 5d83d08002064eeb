// Importing files from the renderer: make each readable by the core (a path in the app, an upload
// in web mode), then start one import job. Progress and results arrive as job events.
import { call, filePath } from './api'

export async function importFiles(files: File[], onStage?: (message: string) => void): Promise<void> {
  const paths: string[] = []
  for (const [i, file] of files.entries()) {
    paths.push(
      await filePath(file, (f) => onStage?.(`Reading ${file.name} (${i + 1}/${files.length}) ${Math.round(f * 100)}%`)),
    )
  }
  onStage?.('')
  await call('import:files', { paths })
}
