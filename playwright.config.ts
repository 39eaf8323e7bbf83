import { defineConfig } from '@playwright/test'

/**
 * Two projects over the same specs: `browser` drives browser mode (`fulcrum serve`) in Debian's
 * Chromium and always runs; `electron` drives the desktop app through `_electron.launch` and skips
 * itself, with one line saying why, where the Electron binary is not installed.
 */
export default defineConfig({
  testDir: './e2e/specs',
  outputDir: './e2e/.artifacts/results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'browser', use: { browserName: 'chromium' } },
    { name: 'electron', use: {} },
  ],
})
