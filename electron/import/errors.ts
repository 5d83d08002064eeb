// Errors an import reports to the user: always the file, the place, and the problem.
import path from 'node:path'
import { capMessage } from '../errors'

/** A problem with the input file. The batch goes on; this file lands not at all. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly place: string | null,
    readonly problem: string,
  ) {
    super(capMessage(`${path.basename(file)}: ${place ? place + ': ' : ''}${problem}`))
    this.name = 'ImportError'
  }
}

/** Where in the file a problem sits, as the user would look for it. */
export function placeAtByte(offset: number, line?: number): string {
  return line !== undefined ? `line ${line}` : `byte ${offset}`
}
