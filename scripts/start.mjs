#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed; otherwise one line saying so and browser
// mode on the same data, so the README's start command works on every machine.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT, electronExecutable } from './electron-binary.mjs'

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

function browserMode(reason) {
  console.error(`Electron is not available here (${reason}); starting Fulcrum in browser mode instead: open the URL below.`)
  run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron', 'cli', 'index.ts'), 'serve', ...process.argv.slice(2)])
}

let exe = electronExecutable()
if (!exe && process.env.FULCRUM_BROWSER !== '1') {
  // Electron >= 45 fetches its binary on first use; try once, quietly, with a time limit.
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'electron', 'install.js')], { cwd: ROOT, stdio: 'ignore', timeout: 180_000 })
  exe = electronExecutable()
}

if (process.env.FULCRUM_BROWSER === '1') {
  browserMode('FULCRUM_BROWSER=1')
} else if (!exe) {
  browserMode('its binary could not be downloaded')
} else {
  let nativeReady = true
  try {
    const { buildNativeForElectron } = await import('./build-native-electron.mjs')
    buildNativeForElectron()
  } catch (error) {
    nativeReady = false
    console.error(`Could not build better-sqlite3 for Electron (${error.message}).`)
  }
  if (nativeReady) run(path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite'), ['preview'])
  else browserMode('no database driver for its ABI')
}
