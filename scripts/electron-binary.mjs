// Where the Electron binary is, without require('electron'): in Electron >= 45 that require downloads
// the binary on the spot, which on an offline machine means a failure in the middle of a test run.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron')

/** Absolute path of the Electron executable, or null when it is not installed. */
export function electronExecutable() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron')
    return fs.existsSync(p) ? p : null
  }
  const pathFile = path.join(ELECTRON_DIR, 'path.txt')
  if (!fs.existsSync(pathFile)) return null
  const exe = path.join(ELECTRON_DIR, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  return fs.existsSync(exe) ? exe : null
}

export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8')).version
}

/** NODE_MODULE_VERSION of the installed Electron (its ABI), as the electron package records it. */
export function electronAbi() {
  return fs.readFileSync(path.join(ELECTRON_DIR, 'abi_version'), 'utf8').trim()
}
