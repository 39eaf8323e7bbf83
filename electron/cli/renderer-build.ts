/**
 * Browser mode serves the built renderer. After `npm ci` there is none yet, so `serve` builds it once
 * (about 10 s) and rebuilds when a renderer source file is newer than the build. Build output goes
 * to stderr: the first line on stdout belongs to the URL.
 */
import fs from 'node:fs'
import path from 'node:path'
import { RENDERER_OUT, RENDERER_SRC, ROOT } from '../../scripts/renderer-paths'

function newestMtime(dir: string): number {
  let newest = 0
  const stack = [dir]
  while (stack.length) {
    const d = stack.pop()!
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name)
      if (entry.isDirectory()) stack.push(p)
      else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs)
    }
  }
  return newest
}

export function rendererIsCurrent(): boolean {
  const index = path.join(RENDERER_OUT, 'index.html')
  const built = fs.statSync(index, { throwIfNoEntry: false })
  if (!built) return false
  const sources = Math.max(
    newestMtime(RENDERER_SRC),
    newestMtime(path.join(ROOT, 'electron', 'shared')),
    fs.statSync(path.join(ROOT, 'scripts', 'renderer-config.ts')).mtimeMs,
    fs.statSync(path.join(ROOT, 'electron', 'engine', 'report-types.ts')).mtimeMs,
  )
  return built.mtimeMs >= sources
}

export async function ensureRendererBuilt(log: (line: string) => void, force = false): Promise<string> {
  if (!force && rendererIsCurrent()) return RENDERER_OUT
  log('Building the renderer for browser mode (once after install or a change)...')
  const { build } = await import('vite')
  const { rendererConfig } = await import('../../scripts/renderer-config')
  // Build beside the live folder and swap it in, so a running server never serves half a build.
  const tmp = `${RENDERER_OUT}.tmp-${process.pid}`
  const base = rendererConfig()
  await build({ ...base, configFile: false, logLevel: 'error', build: { ...base.build, outDir: tmp } })
  const old = `${RENDERER_OUT}.old-${process.pid}`
  if (fs.existsSync(RENDERER_OUT)) fs.renameSync(RENDERER_OUT, old)
  fs.renameSync(tmp, RENDERER_OUT)
  fs.rmSync(old, { recursive: true, force: true })
  log('Renderer built.')
  return RENDERER_OUT
}
