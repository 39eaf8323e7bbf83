/**
 * The risk-analytics part of the API contract (issue 4): VaR computed in worker threads and pushed
 * when ready, stress scenarios (the library and the trader's own), cascades and venue outages,
 * payoff curves, hedge what-ifs and planned hedges, margin-call suggestions. api-contract.ts pulls
 * these schemas and types into its one table.
 */
import { z } from 'zod'
import { VENUES, type Instrument, type Venue } from './portfolio-document'
import { stressScenarioSchema, type StressScenarioDef } from './analytics-settings'
import type {
  CascadeResult,
  HedgeCandidate,
  HedgeWhatIf,
  MarginCallPlan,
  PayoffCurve,
  PayoffHeatmap,
  StressResult,
  StressScenario,
  VarResult,
  VenueOutage,
} from '../engine/analytics'

const id = z.string().trim().min(1).max(200)

export const analyticsInputSchemas = {
  /** The heavy VaR (historical and Monte Carlo, per account and venue, with the distribution) of the current book. */
  analyticsVar: z.object({}).strict(),
  analyticsScenarios: z.object({}).strict(),
  analyticsScenarioSave: z.object({ scenario: stressScenarioSchema }).strict(),
  analyticsScenarioDelete: z.object({ id }).strict(),
  /** Runs one scenario (by id, or given whole) with its cascade; with `failedVenue`, that venue frozen and failing too. */
  analyticsStress: z
    .object({
      scenarioId: id.optional(),
      scenario: stressScenarioSchema.optional(),
      failedVenue: z.enum(VENUES).optional(),
    })
    .strict()
    .refine((x) => (x.scenarioId === undefined) !== (x.scenario === undefined), { message: 'give either scenarioId or scenario', path: ['scenarioId'] }),
  analyticsPayoff: z
    .object({
      underlying: z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, { error: 'must be an asset code such as "BTC"' }).transform((s) => s.toUpperCase()),
      rangePct: z.number().min(0.05).max(0.95).default(0.5),
    })
    .strict(),
  analyticsHedgeWhatIf: z.object({ candidateIds: z.array(id).min(1).max(50) }).strict(),
  analyticsHedgeApply: z.object({ candidateId: id, note: z.string().trim().max(500).optional() }).strict(),
  analyticsPlannedHedges: z.object({}).strict(),
  analyticsPlannedHedgeUpdate: z.object({ id, status: z.enum(['done', 'cancelled']) }).strict(),
  analyticsMarginCalls: z.object({ target: z.number().gt(0).lt(1).optional() }).strict(),
}

export type AnalyticsVarStatus = 'ready' | 'pending' | 'error' | 'unavailable'

export interface AnalyticsVarView {
  /** `ready`: `result` is the current book's; `pending`: being computed (`result` may be the previous book's, `stale` true). */
  status: AnalyticsVarStatus
  revision: number
  stale: boolean
  result: VarResult | null
  computedAt: string | null
  durationMs: number | null
  error: string | null
}

export interface ScenarioList {
  library: StressScenario[]
  user: StressScenarioDef[]
  /** The worst day of the book's own history, when there is one. */
  history: StressScenario | null
}

export interface ScenarioRun {
  stress: StressResult
  cascade: CascadeResult
  outage: VenueOutage | null
}

export interface PayoffView {
  curve: PayoffCurve
  heatmap: PayoffHeatmap
}

export type PlannedHedgeStatus = 'planned' | 'done' | 'cancelled'

/** A hedge the trader decided to place ("apply for real"): recorded, not traded — Fulcrum has no keys. */
export interface PlannedHedge {
  id: string
  createdAt: string
  updatedAt: string
  status: PlannedHedgeStatus
  candidateId: string
  underlying: string
  account: string
  venue: Venue
  instrument: Instrument
  quantity: string
  price: string
  dailyCost: number
  marginUsedUsd: number
  reason: string
  note: string | null
  bookRevision: number
}

export interface AnalyticsOutputs {
  analyticsVar: AnalyticsVarView
  analyticsScenarios: ScenarioList
  analyticsScenarioSave: StressScenarioDef
  analyticsScenarioDelete: { id: string }
  analyticsStress: ScenarioRun
  analyticsPayoff: PayoffView
  analyticsHedgeWhatIf: HedgeWhatIf
  analyticsHedgeApply: PlannedHedge
  analyticsPlannedHedges: PlannedHedge[]
  analyticsPlannedHedgeUpdate: PlannedHedge
  analyticsMarginCalls: MarginCallPlan[]
}

export type AnalyticsEvent =
  /** The heavy VaR of `revision` finished (or failed): fetch it with analyticsVar. */
  | { type: 'analytics.var.ready'; revision: number; status: 'ready' | 'error' }
  /** A hedge was planned, done or cancelled. */
  | { type: 'analytics.hedges.changed' }

export type { HedgeCandidate }
