/** Where the renderer's sources and build live (no imports, so checking them costs nothing). */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)))
export const RENDERER_SRC = path.join(ROOT, 'src')
export const RENDERER_OUT = path.join(ROOT, 'out', 'renderer')
