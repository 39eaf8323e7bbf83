/**
 * Where Fulcrum keeps its data. Mirrors Electron's `app.getPath('userData')` for an app named
 * "Fulcrum", so the desktop app, browser mode (`fulcrum serve`) and `npm start`'s browser fallback all
 * open the same file by default. FULCRUM_DATA_DIR overrides it (tests, portable installs).
 */
import os from 'node:os'
import path from 'node:path'

export const APP_DIR_NAME = 'Fulcrum'
export const DB_FILE_NAME = 'fulcrum.sqlite'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FULCRUM_DATA_DIR) return path.resolve(env.FULCRUM_DATA_DIR)
  const home = os.homedir()
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME)
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME)
}

export function defaultDbFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(defaultDataDir(env, platform), DB_FILE_NAME)
}
