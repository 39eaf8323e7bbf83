import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { parsePortfolioDocument } from '../../shared/portfolio-document'
import { RiskInputError, type RiskReport } from '../../engine'
import { completeRiskReport } from '../../engine/analytics'
import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../command'

/**
 * `fulcrum risk FILE [--json] [--now ISO]`: the risk report of a portfolio document.
 *
 * Exit codes: 0 report written; 2 the input cannot be used (unreadable file, bad JSON, a document
 * that fails validation or cannot be valued). On exit 2 stdout stays EMPTY and every problem goes
 * to stderr with its JSON path, so `fulcrum risk x.json --json | jq` never sees half a report.
 */
export const riskCommand: CliCommand = {
  name: 'risk',
  summary: 'risk report of a portfolio document (JSON file or - for stdin)',
  usage: [
    'usage: fulcrum risk FILE [--json] [--now ISO]',
    '',
    'Computes the risk report (fulcrum.report/1) of the portfolio document FILE (- reads stdin).',
    '  --json       print the report as JSON on stdout (default: readable tables)',
    '  --now ISO    the clock for review windows, e.g. 2026-11-24T08:00:00Z (default: the current time)',
    '',
    'An invalid document exits 2 and prints every error with its JSON path on stderr, nothing on stdout.',
  ].join('\n'),
  run: async (argv, io) => {
    let values: { json?: boolean; now?: string }
    let positionals: string[]
    try {
      ;({ values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, now: { type: 'string' } }, allowPositionals: true, strict: true }))
    } catch (error) {
      io.stderr(`fulcrum risk: ${(error as Error).message}\n${riskCommand.usage}\n`)
      return EXIT_USAGE
    }
    const [file, ...extra] = positionals
    if (!file || extra.length) {
      io.stderr(`fulcrum risk: give exactly one FILE (or - for stdin)\n${riskCommand.usage}\n`)
      return EXIT_USAGE
    }
    let now = new Date()
    if (values.now !== undefined) {
      const ms = Date.parse(values.now)
      if (!/^\d{4}-\d{2}-\d{2}T/.test(values.now) || Number.isNaN(ms)) {
        io.stderr(`fulcrum risk: --now must be an ISO 8601 date-time such as 2026-11-24T08:00:00Z, not ${JSON.stringify(values.now)}\n`)
        return EXIT_USAGE
      }
      now = new Date(ms)
    }
    let text: string
    try {
      text = file === '-' ? await io.readStdin() : fs.readFileSync(file, 'utf8')
    } catch (error) {
      io.stderr(`fulcrum risk: cannot read ${file}: ${(error as Error).message}\n`)
      return EXIT_USAGE
    }
    let input: unknown
    try {
      input = JSON.parse(text.replace(/^\uFEFF/, ''))
    } catch (error) {
      io.stderr(`fulcrum risk: ${file === '-' ? 'standard input' : file} is not valid JSON: ${(error as Error).message}\n`)
      return EXIT_USAGE
    }
    const parsed = parsePortfolioDocument(input)
    if (!parsed.ok) {
      io.stderr(`fulcrum risk: ${file === '-' ? 'standard input' : file} is not a valid portfolio document (${parsed.issues.length} error${parsed.issues.length === 1 ? '' : 's'}):\n`)
      for (const issue of parsed.issues) io.stderr(`  ${issue.path}: ${issue.message}\n`)
      return EXIT_USAGE
    }
    let report: RiskReport
    try {
      // The complete report: VaR three ways, stress, cascades, hedges, caps, margin calls.
      report = completeRiskReport(parsed.value, { now })
    } catch (error) {
      if (error instanceof RiskInputError) {
        io.stderr(`fulcrum risk: the document cannot be valued (${error.issues.length} error${error.issues.length === 1 ? '' : 's'}):\n`)
        for (const issue of error.issues) io.stderr(`  ${issue.path}: ${issue.message}\n`)
        return EXIT_USAGE
      }
      throw error
    }
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report))
    return EXIT_OK
  },
}

// ---- readable tables -------------------------------------------------------------------------

function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-'
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`
}

function qty(x: number): string {
  return Number.isInteger(x) ? x.toString() : x.toPrecision(6).replace(/\.?0+$/, '')
}

/** Columns right-aligned except the first `leftColumns` (or those `leftAligned` names); two spaces between columns. */
function table(header: string[], rows: string[][], leftColumns = 1, leftAligned: readonly number[] = []): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c < leftColumns || leftAligned.includes(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function formatReport(r: RiskReport): string {
  const out: string[] = []
  out.push(`Fulcrum risk report  as of ${r.asOf}  (clock ${r.now}, figures in USD)`)
  out.push('')
  out.push('POSITIONS')
  out.push(
    r.positions.length === 0
      ? '(no open positions)'
      : table(
          ['id', 'account', 'instrument', 'qty', 'mark', 'notional', 'uPnL', 'delta', 'liq price', 'dist', 'funding/day'],
          r.positions.map((p) => [
            p.id,
            p.account,
            `${p.underlying} ${p.settlement} ${p.kind}${p.expiry ? ` ${p.expiry.slice(0, 10)}` : ''}`,
            p.quantity,
            num(p.mark, p.mark < 10 ? 6 : 2),
            num(p.notional),
            num(p.unrealizedPnl),
            qty(p.delta),
            p.liquidationPrice === null ? '-' : `${num(p.liquidationPrice)} ${p.liquidationPriceBasis}`,
            pct(p.liquidationDistance),
            num(p.fundingPerDay),
          ]),
          3,
        ),
  )
  out.push('')
  out.push('ACCOUNTS')
  out.push(
    table(
      ['account', 'venue', 'mode', 'equity', 'initial', 'maint.', 'ratio', 'leverage', 'liquidation (index)', 'status'],
      r.accounts.map((a) => [
        a.id,
        a.venue,
        a.marginMode,
        num(a.equity),
        num(a.initialMargin),
        num(a.maintenanceMargin),
        a.healthFactor !== null ? `HF ${num(a.healthFactor, 3)}` : pct(a.marginRatio),
        a.leverage === null ? '-' : `${num(a.leverage)}x`,
        Object.entries(a.liquidationPrice)
          .map(([u, p]) => `${u} ${p === null ? 'none' : num(p)}`)
          .join(', ') || '-',
        a.status,
      ]),
      3,
    ),
  )
  out.push('')
  out.push('VENUES (collateral does not move between venues by itself)')
  out.push(
    table(
      ['venue', 'equity', 'maint.', 'ratio', 'worst account', 'nearest liq.', 'status', ''],
      r.venues.map((v) => [
        v.venue,
        num(v.equity),
        num(v.maintenanceMargin),
        pct(v.marginRatio),
        v.worstAccount ? `${v.worstAccount} ${pct(v.worstAccountMarginRatio)}` : '-',
        pct(v.minLiquidationDistance),
        v.status,
        v.venue === r.weakestVenue ? '<- weakest' : '',
      ]),
    ),
  )
  const p = r.portfolio
  out.push('')
  out.push('TOTAL')
  const deltas = Object.entries(p.netDelta)
    .map(([u, d]) => `${u} ${qty(d)}`)
    .join(', ')
  const totals: Array<[string, string]> = [
    ['equity', num(p.equity)],
    ['gross notional', `${num(p.grossNotional)}  (leverage ${p.leverage === null ? '-' : `${num(p.leverage)}x`}, net ${p.netLeverage === null ? '-' : `${num(p.netLeverage)}x`})`],
    ['net delta', `${deltas || '-'}  (${num(p.netDeltaUsd)} USD)`],
    ['gamma / vega / theta', `${num(p.gamma, 6)} / ${num(p.vega)} per vol pt / ${num(p.theta)} per day`],
    ['margin ratio (summed)', pct(p.marginRatio)],
    ['weakest venue', p.weakestVenue ? `${p.weakestVenue} at ${pct(p.worstVenueMarginRatio)} (account ${p.weakestAccount})` : '-'],
    [
      'nearest liquidation',
      p.minLiquidationDistance
        ? `${pct(p.minLiquidationDistance.distance)} away: ${p.minLiquidationDistance.position ?? `account ${p.minLiquidationDistance.account}`} on ${p.minLiquidationDistance.underlying}`
        : 'none',
    ],
    ['funding per day', num(p.fundingPerDay)],
  ]
  const w = Math.max(...totals.map(([k]) => k.length))
  for (const [k, v] of totals) out.push(`${k.padEnd(w)}  ${v}`)
  out.push(...formatAnalytics(r))
  if (r.reviewWindows.length > 0) {
    out.push('')
    out.push('REVIEW WINDOWS (soonest first)')
    out.push(
      table(
        ['position', 'expiry', 'time left'],
        r.reviewWindows.map((w) => [w.positionId, w.expiry, w.expired ? 'expired' : humanSeconds(w.secondsLeft)]),
        2,
      ),
    )
  }
  if (r.warnings.length > 0) {
    out.push('')
    out.push('WARNINGS')
    for (const w of r.warnings) out.push(`- ${w}`)
  }
  return `${out.join('\n')}\n`
}

/** VaR, stress with cascades, hedges, caps and margin calls as readable tables. */
function formatAnalytics(r: RiskReport): string[] {
  const out: string[] = []
  const v = r.portfolio.var
  const es = r.portfolio.expectedShortfall
  out.push('')
  out.push(`VALUE AT RISK (${pct(v.confidence, 1)}, ${v.horizonDays} day${v.horizonDays === 1 ? '' : 's'}; USD losses)`)
  out.push(
    table(
      ['', 'historical', 'parametric', 'Monte Carlo'],
      [
        ['VaR', num(v.historical), num(v.parametric), num(v.monteCarlo)],
        ['ES', num(es.historical), num(es.parametric), num(es.monteCarlo)],
        ...r.varBreakdown.venues.map((x) => [`VaR ${x.id}`, num(x.var.historical), num(x.var.parametric), num(x.var.monteCarlo)]),
      ],
    ),
  )
  out.push(
    `(${v.historicalScenarios} historical scenarios${v.historicalFrom ? ` ${v.historicalFrom} to ${v.historicalTo}` : ''}; Monte Carlo ${v.monteCarloPaths ?? '-'} paths, seed ${v.monteCarloSeed ?? '-'})`,
  )
  if (r.stress.length) {
    out.push('')
    out.push('STRESS (equity change; liquidations along the path)')
    const cascade = new Map(r.cascades.map((c) => [c.scenarioId, c]))
    out.push(
      table(
        ['scenario', 'P&L', 'liquidated at the end', 'liquidations on the way, in order'],
        r.stress.map((s) => [s.name, num(s.pnlUsd), s.liquidatedAccounts.concat(s.liquidatedPositions).join(', ') || '-', cascade.get(s.id)?.events.map((e) => e.headline).join('; ') || '-']),
        1,
        [2, 3],
      ),
    )
  }
  if (r.hedges.length) {
    out.push('')
    out.push('HEDGES (best per underlying; cost per day positive = pays)')
    out.push(
      table(
        ['underlying', 'account', 'instrument', 'qty', 'margin', 'cost/day'],
        r.hedges.map((h) => [h.underlying, h.account, String(h.instrument['symbol'] ?? h.instrument['kind']), h.quantity, num(h.marginUsedUsd), num(h.dailyCost)]),
      ),
    )
  }
  const flagged = r.leverageCaps.positions.filter((p) => p.aboveCap)
  if (flagged.length) {
    out.push('')
    out.push(`ABOVE THE VOLATILITY-ADJUSTED LEVERAGE CAP (${r.leverageCaps.sigmaMultiple}-sigma daily move)`)
    out.push(table(['position', 'leverage', 'cap', 'k-sigma move'], flagged.map((p) => [p.id, `${num(p.leverage)}x`, `${num(p.maxLeverage)}x`, pct(p.kSigmaMove)])))
  }
  for (const plan of r.marginCalls) {
    out.push('')
    out.push(`MARGIN CALL PREVENTION: ${plan.account} at ${pct(plan.marginRatio)} (target ${pct(plan.target)})`)
    for (const a of plan.actions) out.push(`- ${a.note} -> ratio ${pct(a.marginRatioAfter)}, cost ${num(a.costUsd)} USD`)
  }
  return out
}

function humanSeconds(s: number): string {
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`
}
