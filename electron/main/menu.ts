import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  navigate: (route: string) => void
  exportPortfolio: () => void
  importPortfolio: () => void
  openDataFolder: () => void
  quit: () => void
}

/** Mirrors NAV in src/router.ts. Digits 1–9 and the comma for Settings; CmdOrCtrl+0 stays Reset Zoom. */
export const VIEW_SHORTCUTS = [
  { label: 'Dashboard', route: '/', key: '1' },
  { label: 'Positions', route: '/positions', key: '2' },
  { label: 'Margin', route: '/margin', key: '3' },
  { label: 'Hedging', route: '/hedging', key: '4' },
  { label: 'Scenarios', route: '/scenarios', key: '5' },
  { label: 'Review windows', route: '/review-windows', key: '6' },
  { label: 'Market data', route: '/market', key: '7' },
  { label: 'History', route: '/history', key: '8' },
  { label: 'Import', route: '/import', key: '9' },
  { label: 'Settings', route: '/settings', key: ',' },
] as const

/** The native menu. Pure data, so its shortcuts are checked by a spec without Electron. */
export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  const template: MenuItemConstructorOptions[] = []
  if (isMac) {
    template.push({
      label: 'Fulcrum',
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { label: 'Quit Fulcrum', accelerator: 'Cmd+Q', click: actions.quit }],
    })
  }
  template.push({
    label: 'File',
    submenu: [
      { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: actions.importPortfolio },
      { label: 'Export portfolio…', accelerator: 'CmdOrCtrl+E', click: actions.exportPortfolio },
      { type: 'separator' },
      { label: 'Show data folder', click: actions.openDataFolder },
      ...(isMac ? [] : [{ type: 'separator' } as const, { label: 'Quit', accelerator: 'Ctrl+Q', click: actions.quit }]),
    ],
  })
  template.push({
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  })
  template.push({
    label: 'View',
    submenu: [
      ...VIEW_SHORTCUTS.map((v) => ({
        label: v.label,
        accelerator: `CmdOrCtrl+${v.key}`,
        click: () => actions.navigate(v.route),
      })),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      { role: 'toggleDevTools' },
    ],
  })
  template.push({ label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] })
  return template
}
