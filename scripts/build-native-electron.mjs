#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron-<abi>-<platform>-<arch>/, leaving the
// Node build in node_modules (which the tests and the CLI use) untouched. Run by `npm start` when the
// Electron binary is present; needs the internet once (prebuilt download, or Electron's headers).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT, electronAbi, electronVersion } from './electron-binary.mjs'

const abi = electronAbi()
const target = path.join(ROOT, 'native', `electron-${abi}-${process.platform}-${process.arch}`)
const out = path.join(target, 'better_sqlite3.node')

export function buildNativeForElectron({ quiet = false } = {}) {
  if (fs.existsSync(out)) return out
  const version = electronVersion()
  const log = (m) => quiet || console.error(m)
  log(`Building better-sqlite3 for Electron ${version} (ABI ${abi})...`)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-native-'))
  const pkg = path.join(work, 'better-sqlite3')
  fs.cpSync(path.join(ROOT, 'node_modules', 'better-sqlite3'), pkg, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
  })
  const bin = (name) => path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
  const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: version, npm_config_disturl: 'https://electronjs.org/headers' }
  try {
    execFileSync(bin('prebuild-install'), ['--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, `--platform=${process.platform}`], { cwd: pkg, env, stdio: quiet ? 'ignore' : 'inherit' })
  } catch {
    log('No prebuilt binary; compiling against Electron headers with node-gyp...')
    execFileSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: pkg, env, stdio: quiet ? 'ignore' : 'inherit' })
  }
  fs.mkdirSync(target, { recursive: true })
  fs.copyFileSync(path.join(pkg, 'build', 'Release', 'better_sqlite3.node'), out)
  fs.rmSync(work, { recursive: true, force: true })
  log(`better-sqlite3 for Electron: ${path.relative(ROOT, out)}`)
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) buildNativeForElectron()
