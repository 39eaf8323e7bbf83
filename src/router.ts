import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

/** The workstation's views, in navigation order. `key` is the Alt+<key> shortcut. */
export const NAV = [
  { path: '/', name: 'dashboard', label: 'Dashboard', key: '1', icon: 'dashboard' },
  { path: '/positions', name: 'positions', label: 'Positions', key: '2', icon: 'positions' },
  { path: '/margin', name: 'margin', label: 'Margin', key: '3', icon: 'margin' },
  { path: '/hedging', name: 'hedging', label: 'Hedging', key: '4', icon: 'hedging' },
  { path: '/scenarios', name: 'scenarios', label: 'Scenarios', key: '5', icon: 'scenarios' },
  { path: '/review-windows', name: 'review-windows', label: 'Review windows', key: '6', icon: 'clock' },
  { path: '/market', name: 'market', label: 'Market data', key: '7', icon: 'bolt' },
  { path: '/history', name: 'history', label: 'History', key: '8', icon: 'trend' },
  { path: '/import', name: 'import', label: 'Import', key: '9', icon: 'import' },
  // Settings takes the comma, as preferences do everywhere; 0 stays the zoom reset.
  { path: '/settings', name: 'settings', label: 'Settings', key: ',', icon: 'settings' },
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
