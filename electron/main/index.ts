/**
 * The Electron main process: a thin shell. Everything Fulcrum does lives in services/ and runs the
 * same under plain Node (browser mode, CLI, tests); this file only wires Electron's lifecycle, windows,
 * security, menu and IPC to it.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type IpcMainInvokeEvent } from 'electron'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startBackend, type Backend } from '../services/backend'
import { DB_FILE_NAME } from '../services/paths'
import { DatabaseRefusedError } from '../store/database'
import { forwardEvents, registerIpcHandlers } from '../transports/electron-ipc'
import { EVENT_CHANNEL } from '../shared/channels'
import { buildMenuTemplate } from './menu'
import { createDesktopNotifier } from './notifications'
import { resolveNativeBinding } from './native-binding'
import { applySessionSecurity, hardenWebContents, isAppUrl } from './security'
import { mainWindowOptions } from './window-options'

const here = path.dirname(fileURLToPath(import.meta.url))
const appRoot = app.getAppPath()
const preloadPath = path.join(here, '../preload/index.cjs')
const rendererIndex = path.join(here, '../renderer/index.html')
const devServerUrl = process.env.ELECTRON_RENDERER_URL
const appBase = devServerUrl ?? pathToFileURL(rendererIndex).href

let backend: Backend | undefined
let mainWindow: BrowserWindow | undefined
const disposers: (() => void)[] = []

function dataDir(): string {
  return process.env.FULCRUM_DATA_DIR ? path.resolve(process.env.FULCRUM_DATA_DIR) : app.getPath('userData')
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const win = BrowserWindow.fromWebContents(event.sender)
  if (!win || win !== mainWindow) return false
  const frameUrl = event.senderFrame?.url
  return frameUrl !== undefined && isAppUrl(frameUrl, appBase)
}

function navigate(route: string): void {
  mainWindow?.webContents.send(EVENT_CHANNEL, { type: 'ui.navigate', route })
}

async function exportPortfolio(): Promise<void> {
  if (!backend || !mainWindow) return
  const stamp = new Date().toISOString().slice(0, 10)
  const { canceled, filePath } = await dialog.showSaveDialog(mainWindow, {
    title: 'Export portfolio',
    defaultPath: `fulcrum-portfolio-${stamp}.json`,
    filters: [{ name: 'Fulcrum portfolio', extensions: ['json'] }],
  })
  if (canceled || !filePath) return
  const doc = backend.service.table.portfolioExport({})
  fs.writeFileSync(filePath, `${JSON.stringify(doc, null, 2)}\n`)
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath))
  win.once('ready-to-show', () => win.show())
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(rendererIndex)
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined
  })
  return win
}

let shuttingDown = false
/** Unregisters IPC, stops timers and feeds, closes the database — then lets the app quit. */
function shutdown(event: { preventDefault: () => void }): void {
  if (shuttingDown || !backend) return
  shuttingDown = true
  event.preventDefault()
  for (const dispose of disposers.splice(0).reverse()) {
    try {
      dispose()
    } catch (error) {
      console.error('fulcrum: shutdown step failed:', error)
    }
  }
  const closing = backend.close()
  backend = undefined
  void closing.catch((error: unknown) => console.error('fulcrum: closing the database failed:', error)).finally(() => app.quit())
}

if (!app.requestSingleInstanceLock()) {
  // Another Fulcrum owns the database: hand over to it (it focuses its window) and leave.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { appBase, openExternal: (url) => void shell.openExternal(url) })
  })

  void app.whenReady().then(() => {
    applySessionSecurity(session.defaultSession)
    const dataFile = path.join(dataDir(), DB_FILE_NAME)
    try {
      // Reminders and alerts reach the desktop through these hooks (issue 7).
      const notifier = createDesktopNotifier({ window: () => mainWindow, openWindow: () => (mainWindow ??= createWindow()) })
      disposers.push(notifier.dispose)
      backend = startBackend({
        dataFile,
        mode: 'electron',
        seedDemoOnCreate: true,
        nativeBinding: resolveNativeBinding(appRoot),
        platform: notifier,
      })
    } catch (error) {
      const message =
        error instanceof DatabaseRefusedError
          ? error.message
          : `Fulcrum could not open its database ${dataFile}: ${(error as Error).message}`
      dialog.showErrorBox('Fulcrum cannot start', message)
      app.exit(2)
      return
    }

    disposers.push(registerIpcHandlers({ ipcMain, table: backend.service.table, isTrustedSender }))
    disposers.push(forwardEvents(backend.events, () => (mainWindow ? [mainWindow.webContents] : [])))

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          {
            navigate,
            exportPortfolio: () => void exportPortfolio(),
            importPortfolio: () => navigate('/import'),
            openDataFolder: () => void shell.openPath(dataDir()),
            quit: () => app.quit(),
          },
          process.platform,
        ),
      ),
    )

    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  // Close the database before the process goes, so the WAL is folded back and nothing is lost.
  app.on('will-quit', shutdown)
  process.once('SIGTERM', () => app.quit())
  process.once('SIGINT', () => app.quit())
}
