/**
 * The renderer's Vite config, shared by electron-vite (desktop build) and `fulcrum serve`
 * (which builds the renderer on demand for browser mode), so both ship the same bundle.
 */
import vue from '@vitejs/plugin-vue'
import path from 'node:path'
import type { UserConfig } from 'vite'
import { RENDERER_OUT, RENDERER_SRC, ROOT } from './renderer-paths'

export { RENDERER_OUT, RENDERER_SRC, ROOT }

export function rendererConfig(): UserConfig {
  return {
    root: RENDERER_SRC,
    // Relative asset URLs: the same bundle loads from file:// in Electron and from http:// in browser mode.
    base: './',
    plugins: [vue()],
    resolve: {
      alias: {
        '@': RENDERER_SRC,
        '@shared': path.join(ROOT, 'electron', 'shared'),
        // Type-only in the renderer (lint forbids value imports): the report's types come from the engine.
        '@engine': path.join(ROOT, 'electron', 'engine'),
      },
    },
    build: {
      outDir: RENDERER_OUT,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
      rollupOptions: { input: path.join(RENDERER_SRC, 'index.html') },
    },
  }
}
