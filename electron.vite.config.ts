import { defineConfig } from 'electron-vite'
import path from 'node:path'
import { rendererConfig, ROOT } from './scripts/renderer-config'

export default defineConfig({
  main: {
    build: {
      outDir: path.join(ROOT, 'out', 'main'),
      rollupOptions: {
        input: {
          index: path.join(ROOT, 'electron', 'main', 'index.ts'),
          // Worker threads start from this file in the desktop app (see electron/workers/pool.ts).
          worker: path.join(ROOT, 'electron', 'workers', 'worker-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: path.join(ROOT, 'out', 'preload'),
      // The sandboxed preload must be ONE CommonJS file with nothing left to require.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: path.join(ROOT, 'electron', 'preload', 'index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: rendererConfig(),
})
