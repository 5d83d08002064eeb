#!/usr/bin/env node
// Runs the CLI straight from its TypeScript source (through tsx), so `npx sightline` works right
// after `npm install` with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../electron/cli.ts')
const code = await main(process.argv.slice(2))
process.exit(code)
