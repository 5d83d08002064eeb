import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Bundled in rather than loaded from node_modules: zod alone is ~100 module files, and opening
      // and compiling them was a third of `sightline sessions`' start.
      externalizeDeps: { exclude: ['zod', 'commander'] },
      rollupOptions: {
        // The workers are entries of their own: run-in-worker.ts loads ./worker.js (electron/app/worker.ts) beside main.js,
        // import/parallel.ts ./stage-worker.js (the import's second thread), cluster/layout-thread.ts
        // ./cluster-layout-worker.js (the 2-D plot layout). cli.js is `sightline`
        // (bin/sightline.mjs), built at install so the command starts without a TypeScript loader.
        input: { main: resolve('electron/main.ts'), cli: resolve('electron/cli.ts'), worker: resolve('electron/app/worker.ts'), 'stage-worker': resolve('electron/import/stage-worker.ts'), 'cluster-layout-worker': resolve('electron/cluster/layout-worker.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot be ES modules.
      rollupOptions: { input: { preload: resolve('electron/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    // Minified: the frame page's script is parsed by every cold frame page (bench/clip.ts cold rows).
    build: { outDir: resolve('out/renderer'), minify: true, rollupOptions: { input: { index: resolve('renderer/index.html'), render: resolve('renderer/render/index.html') } } },
  },
})
