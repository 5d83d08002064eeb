import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // better-sqlite3 and worker threads want real processes, not a shared VM context.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: e2e files start Chromium; keep the machine responsive.
    maxWorkers: 2,
  },
})
