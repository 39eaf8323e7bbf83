// The start script's binary lookup, shared with the fixtures (one rule for "is Electron here?").
export { electronExecutable, ROOT } from '../scripts/electron-binary.mjs'
