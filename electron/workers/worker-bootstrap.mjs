// Worker entry when Fulcrum runs from its TypeScript sources (CLI, browser mode, tests): Node's
// worker threads do not take `--import tsx` from execArgv, so the worker loads tsx itself.
// The desktop app's bundle starts workers from the compiled worker.js instead.
import { tsImport } from 'tsx/esm/api'

await tsImport('./worker-entry.ts', import.meta.url)
