/**
 * The preload: exposes one verb per API channel on `window.fulcrum`, never ipcRenderer itself.
 * Bundled to a single CommonJS file so it runs in the sandbox. Event listeners receive the payload
 * only, never the IpcRendererEvent (which would hand the renderer `sender`).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { Channels, EVENT_CHANNEL } from '../shared/channels'
import type { FulcrumApi, FulcrumEvent } from '../shared/api-contract'

const api = {
  appInfo: (input) => ipcRenderer.invoke(Channels.appInfo, input),
  bookGet: (input) => ipcRenderer.invoke(Channels.bookGet, input),
  riskReport: (input) => ipcRenderer.invoke(Channels.riskReport, input),
  accountSave: (input) => ipcRenderer.invoke(Channels.accountSave, input),
  accountDelete: (input) => ipcRenderer.invoke(Channels.accountDelete, input),
  positionSave: (input) => ipcRenderer.invoke(Channels.positionSave, input),
  positionClose: (input) => ipcRenderer.invoke(Channels.positionClose, input),
  positionReopen: (input) => ipcRenderer.invoke(Channels.positionReopen, input),
  positionDelete: (input) => ipcRenderer.invoke(Channels.positionDelete, input),
  positionHistory: (input) => ipcRenderer.invoke(Channels.positionHistory, input),
  underlyingSave: (input) => ipcRenderer.invoke(Channels.underlyingSave, input),
  demoRemove: (input) => ipcRenderer.invoke(Channels.demoRemove, input),
  demoLoad: (input) => ipcRenderer.invoke(Channels.demoLoad, input),
  portfolioExport: (input) => ipcRenderer.invoke(Channels.portfolioExport, input),
  portfolioImport: (input) => ipcRenderer.invoke(Channels.portfolioImport, input),
  settingsGet: (input) => ipcRenderer.invoke(Channels.settingsGet, input),
  settingsUpdate: (input) => ipcRenderer.invoke(Channels.settingsUpdate, input),
  // ledger and exchange CSV import (issue 5)
  ledgerUploadBegin: (input) => ipcRenderer.invoke(Channels.ledgerUploadBegin, input),
  ledgerUploadChunk: (input) => ipcRenderer.invoke(Channels.ledgerUploadChunk, input),
  ledgerUploadDiscard: (input) => ipcRenderer.invoke(Channels.ledgerUploadDiscard, input),
  ledgerPreview: (input) => ipcRenderer.invoke(Channels.ledgerPreview, input),
  ledgerImport: (input) => ipcRenderer.invoke(Channels.ledgerImport, input),
  ledgerCancel: (input) => ipcRenderer.invoke(Channels.ledgerCancel, input),
  ledgerBatches: (input) => ipcRenderer.invoke(Channels.ledgerBatches, input),
  ledgerUndo: (input) => ipcRenderer.invoke(Channels.ledgerUndo, input),
  ledgerEntries: (input) => ipcRenderer.invoke(Channels.ledgerEntries, input),
  ledgerPositions: (input) => ipcRenderer.invoke(Channels.ledgerPositions, input),
  ledgerReconcile: (input) => ipcRenderer.invoke(Channels.ledgerReconcile, input),
  ledgerExport: (input) => ipcRenderer.invoke(Channels.ledgerExport, input),
  // expiry reminders, risk alerts, notification centre (issue 7)
  notificationsList: (input) => ipcRenderer.invoke(Channels.notificationsList, input),
  notificationsAcknowledge: (input) => ipcRenderer.invoke(Channels.notificationsAcknowledge, input),
  notificationSnooze: (input) => ipcRenderer.invoke(Channels.notificationSnooze, input),
  notificationsSeen: (input) => ipcRenderer.invoke(Channels.notificationsSeen, input),
  remindersList: (input) => ipcRenderer.invoke(Channels.remindersList, input),
  reminderLeadTimesSet: (input) => ipcRenderer.invoke(Channels.reminderLeadTimesSet, input),
  alertHistory: (input) => ipcRenderer.invoke(Channels.alertHistory, input),
  // market data and history (issue 8)
  marketGet: (input) => ipcRenderer.invoke(Channels.marketGet, input),
  markSave: (input) => ipcRenderer.invoke(Channels.markSave, input),
  priceHistoryGet: (input) => ipcRenderer.invoke(Channels.priceHistoryGet, input),
  priceHistoryPreview: (input) => ipcRenderer.invoke(Channels.priceHistoryPreview, input),
  priceHistoryImport: (input) => ipcRenderer.invoke(Channels.priceHistoryImport, input),
  snapshotsGet: (input) => ipcRenderer.invoke(Channels.snapshotsGet, input),
  snapshotsExport: (input) => ipcRenderer.invoke(Channels.snapshotsExport, input),
  snapshotTake: (input) => ipcRenderer.invoke(Channels.snapshotTake, input),
  // risk analytics (issue 4)
  analyticsVar: (input) => ipcRenderer.invoke(Channels.analyticsVar, input),
  analyticsScenarios: (input) => ipcRenderer.invoke(Channels.analyticsScenarios, input),
  analyticsScenarioSave: (input) => ipcRenderer.invoke(Channels.analyticsScenarioSave, input),
  analyticsScenarioDelete: (input) => ipcRenderer.invoke(Channels.analyticsScenarioDelete, input),
  analyticsStress: (input) => ipcRenderer.invoke(Channels.analyticsStress, input),
  analyticsPayoff: (input) => ipcRenderer.invoke(Channels.analyticsPayoff, input),
  analyticsHedgeWhatIf: (input) => ipcRenderer.invoke(Channels.analyticsHedgeWhatIf, input),
  analyticsHedgeApply: (input) => ipcRenderer.invoke(Channels.analyticsHedgeApply, input),
  analyticsPlannedHedges: (input) => ipcRenderer.invoke(Channels.analyticsPlannedHedges, input),
  analyticsPlannedHedgeUpdate: (input) => ipcRenderer.invoke(Channels.analyticsPlannedHedgeUpdate, input),
  analyticsMarginCalls: (input) => ipcRenderer.invoke(Channels.analyticsMarginCalls, input),
  onEvent: (listener: (event: FulcrumEvent) => void) => {
    const handler = (_event: IpcRendererEvent, payload: FulcrumEvent): void => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler)
  },
} satisfies FulcrumApi

contextBridge.exposeInMainWorld('fulcrum', api)
