import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { ensureRendererBuilt } from '../electron/cli/renderer-build'
import { electronExecutable } from './electron-binary'

/** Builds once what every worker serves: the renderer for browser mode, the whole app for Electron. */
export default async function globalSetup(): Promise<void> {
  await ensureRendererBuilt((line) => console.log(line))
  if (electronExecutable()) {
    execFileSync(path.join('node_modules', '.bin', 'electron-vite'), ['build'], { stdio: 'inherit' })
  } else {
    console.log('electron project: skipped — no Electron binary in node_modules/electron (it cannot be downloaded here); browser project runs.')
  }
}
