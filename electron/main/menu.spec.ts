import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { buildMenuTemplate, VIEW_SHORTCUTS } from './menu'

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((m) => [m, ...items((m.submenu as MenuItemConstructorOptions[] | undefined) ?? [])])
}

describe('buildMenuTemplate', () => {
  it('gives every view a CmdOrCtrl+digit shortcut that navigates to it', () => {
    const navigate = vi.fn()
    const all = items(buildMenuTemplate({ navigate, exportPortfolio: vi.fn(), importPortfolio: vi.fn(), openDataFolder: vi.fn(), quit: vi.fn() }, 'linux'))
    for (const v of VIEW_SHORTCUTS) {
      const item = all.find((i) => i.label === v.label)!
      expect(item.accelerator).toBe(`CmdOrCtrl+${v.key}`)
      ;(item.click as () => void)()
      expect(navigate).toHaveBeenLastCalledWith(v.route)
    }
    expect(new Set(all.map((i) => i.accelerator).filter(Boolean)).size).toBe(all.filter((i) => i.accelerator).length)
    // The zoom roles keep their standard accelerators (CmdOrCtrl+0, +, -): no view may take them.
    expect(all.map((i) => i.accelerator)).not.toContain('CmdOrCtrl+0')
    expect(all.filter((i) => i.role === 'resetZoom')).toHaveLength(1)
  })
  it('has Quit in File on Linux and Windows and in the app menu on macOS', () => {
    const actions = { navigate: vi.fn(), exportPortfolio: vi.fn(), importPortfolio: vi.fn(), openDataFolder: vi.fn(), quit: vi.fn() }
    expect(items(buildMenuTemplate(actions, 'linux')).find((i) => i.label === 'Quit')?.accelerator).toBe('Ctrl+Q')
    const mac = buildMenuTemplate(actions, 'darwin')
    expect(mac[0]!.label).toBe('Fulcrum')
    expect(items(mac).find((i) => i.label === 'Quit Fulcrum')?.accelerator).toBe('Cmd+Q')
  })
})
