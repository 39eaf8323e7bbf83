/**
 * better-sqlite3 is a native addon and Electron's Node ABI differs from the system Node's. The tests
 * and the CLI load the build in node_modules (made for Node by `npm ci`); the desktop app loads a
 * second build made for Electron, kept apart in native/electron-<abi>-<platform>-<arch>/ by
 * scripts/build-native-electron.mjs (run by `npm start`). Neither build overwrites the other.
 */
import fs from 'node:fs'
import path from 'node:path'

export function electronBindingDir(appRoot: string, modulesVersion: string, platform = process.platform, arch = process.arch): string {
  return path.join(appRoot, 'native', `electron-${modulesVersion}-${platform}-${arch}`)
}

/** The Electron build's path when it exists, else undefined (a packaged app ships the right build in node_modules). */
export function resolveNativeBinding(appRoot: string, modulesVersion: string = process.versions.modules): string | undefined {
  const file = path.join(electronBindingDir(appRoot, modulesVersion), 'better_sqlite3.node')
  return fs.existsSync(file) ? file : undefined
}
