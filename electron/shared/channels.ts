/**
 * Channel names of the Fulcrum API: the one list main, preload, browser transport and renderer share.
 * Kept free of imports so the sandboxed preload bundle stays tiny.
 * `as const` object, not an enum: the values are plain strings on the wire.
 */
export const Channels = {
  appInfo: 'app:info',
  bookGet: 'book:get',
  riskReport: 'risk:report',
  accountSave: 'account:save',
  accountDelete: 'account:delete',
  positionSave: 'position:save',
  positionClose: 'position:close',
  positionReopen: 'position:reopen',
  positionDelete: 'position:delete',
  positionHistory: 'position:history',
  underlyingSave: 'underlying:save',
  demoRemove: 'demo:remove',
  demoLoad: 'demo:load',
  portfolioExport: 'portfolio:export',
  portfolioImport: 'portfolio:import',
  settingsGet: 'settings:get',
  settingsUpdate: 'settings:update',
  // ledger and exchange CSV import (issue 5)
  ledgerUploadBegin: 'ledger:upload-begin',
  ledgerUploadChunk: 'ledger:upload-chunk',
  ledgerUploadDiscard: 'ledger:upload-discard',
  ledgerPreview: 'ledger:preview',
  ledgerImport: 'ledger:import',
  ledgerCancel: 'ledger:cancel',
  ledgerBatches: 'ledger:batches',
  ledgerUndo: 'ledger:undo',
  ledgerEntries: 'ledger:entries',
  ledgerPositions: 'ledger:positions',
  ledgerReconcile: 'ledger:reconcile',
  ledgerExport: 'ledger:export',
  // expiry reminders, risk alerts, notification centre (issue 7)
  notificationsList: 'notifications:list',
  notificationsAcknowledge: 'notifications:acknowledge',
  notificationSnooze: 'notifications:snooze',
  notificationsSeen: 'notifications:seen',
  remindersList: 'reminders:list',
  reminderLeadTimesSet: 'reminders:lead-times',
  alertHistory: 'alerts:history',
  // market data and history (issue 8)
  marketGet: 'market:get',
  markSave: 'market:mark-save',
  priceHistoryGet: 'market:history-get',
  priceHistoryPreview: 'market:history-preview',
  priceHistoryImport: 'market:history-import',
  snapshotsGet: 'history:snapshots',
  snapshotsExport: 'history:export',
  snapshotTake: 'history:snapshot-take',
  // risk analytics (issue 4)
  analyticsVar: 'analytics:var',
  analyticsScenarios: 'analytics:scenarios',
  analyticsScenarioSave: 'analytics:scenario-save',
  analyticsScenarioDelete: 'analytics:scenario-delete',
  analyticsStress: 'analytics:stress',
  analyticsPayoff: 'analytics:payoff',
  analyticsHedgeWhatIf: 'analytics:hedge-what-if',
  analyticsHedgeApply: 'analytics:hedge-apply',
  analyticsPlannedHedges: 'analytics:planned-hedges',
  analyticsPlannedHedgeUpdate: 'analytics:planned-hedge-update',
  analyticsMarginCalls: 'analytics:margin-calls',
} as const

export type MethodName = keyof typeof Channels
export type Channel = (typeof Channels)[MethodName]

/** The single channel on which the backend pushes events to every window. */
export const EVENT_CHANNEL = 'fulcrum:event'

export const METHOD_NAMES = Object.keys(Channels) as MethodName[]

export function methodForChannel(channel: string): MethodName | undefined {
  return METHOD_NAMES.find((m) => Channels[m] === channel)
}
