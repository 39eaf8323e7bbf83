import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

/** The workstation's views, in navigation order. `key` is the Alt+<key> shortcut. */
export const NAV = [
  { path: '/', name: 'dashboard', label: 'Dashboard', key: '1', icon: 'dashboard' },
  { path: '/positions', name: 'positions', label: 'Positions', key: '2', icon: 'positions' },
  { path: '/margin', name: 'margin', label: 'Margin', key: '3', icon: 'margin' },
  { path: '/hedging', name: 'hedging', label: 'Hedging', key: '4', icon: 'hedging' },
  // risk analytics (issue 4): the digits are taken, so Alt+0
  { path: '/scenarios', name: 'scenarios', label: 'Scenarios', key: '0', icon: 'scenarios' },
  { path: '/review-windows', name: 'review-windows', label: 'Review windows', key: '5', icon: 'clock' },
  { path: '/import', name: 'import', label: 'Import', key: '6', icon: 'import' },
  { path: '/settings', name: 'settings', label: 'Settings', key: '7', icon: 'settings' },
  // market data and history (issue 8)
  { path: '/market', name: 'market', label: 'Market data', key: '8', icon: 'bolt' },
  { path: '/history', name: 'history', label: 'History', key: '9', icon: 'trend' },
] as const

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'dashboard', component: () => import('./modules/dashboard/DashboardView.vue') },
  { path: '/positions', name: 'positions', component: () => import('./modules/positions/PositionsView.vue') },
  { path: '/margin', name: 'margin', component: () => import('./modules/margin/MarginView.vue') },
  { path: '/hedging', name: 'hedging', component: () => import('./modules/hedging/HedgingView.vue') },
  { path: '/scenarios', name: 'scenarios', component: () => import('./modules/scenarios/ScenariosView.vue') },
  { path: '/review-windows', name: 'review-windows', component: () => import('./modules/review-windows/ReviewWindowsView.vue') },
  { path: '/import', name: 'import', component: () => import('./modules/import/ImportView.vue') },
  { path: '/settings', name: 'settings', component: () => import('./modules/settings/SettingsView.vue') },
  // market data and history (issue 8)
  { path: '/market', name: 'market', component: () => import('./modules/market/MarketView.vue') },
  { path: '/history', name: 'history', component: () => import('./modules/history/HistoryView.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

// Hash history: the same bundle works from file:// in Electron and from http:// in browser mode.
export const router = createRouter({ history: createWebHashHistory(), routes })
