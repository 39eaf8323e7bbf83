import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const alias = {
  '@': fileURLToPath(new URL('./src', import.meta.url)),
  '@shared': fileURLToPath(new URL('./electron/shared', import.meta.url)),
  '@engine': fileURLToPath(new URL('./electron/engine', import.meta.url)),
}

export default defineConfig({
  test: {
    // Fixed clock zone: every date in Fulcrum is UTC inside; tests must not depend on the host zone.
    env: { TZ: 'UTC' },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'main',
          environment: 'node',
          include: ['electron/**/*.spec.ts', 'scripts/**/*.spec.ts'],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['src/**/*.spec.ts'],
        },
      },
    ],
  },
})
