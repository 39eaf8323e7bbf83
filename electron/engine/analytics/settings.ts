/**
 * The analytics' settings as a portfolio document carries them (`settings` is an open object: the
 * app exports its own settings there), validated with the same schema the app uses, so the CLI and
 * the app read one document the same way. A value that fails is an input error naming its path.
 */
import type { PortfolioDocument } from '../../shared/portfolio-document'
import { analyticsSettingsSchema, type AnalyticsSettings } from '../../shared/analytics-settings'
import { RiskInputError } from '../errors'

export interface ResolvedAnalyticsSettings extends AnalyticsSettings {
  varConfidence: number
  varHorizonDays: number
}

export function analyticsSettingsOf(doc: PortfolioDocument): ResolvedAnalyticsSettings {
  const raw = doc.settings as Record<string, unknown>
  const picked: Record<string, unknown> = {}
  for (const key of Object.keys(analyticsSettingsSchema.shape)) if (raw[key] !== undefined) picked[key] = raw[key]
  const parsed = analyticsSettingsSchema.safeParse(picked)
  if (!parsed.success) {
    throw new RiskInputError(
      parsed.error.issues.map((i) => ({
        path: `settings${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`,
        message: i.message,
      })),
    )
  }
  return { ...parsed.data, varConfidence: doc.settings.varConfidence, varHorizonDays: doc.settings.varHorizonDays }
}
