/**
 * Historical and parametric VaR/ES against an independent numpy/scipy implementation
 * (__reference__/var_reference.py: its own equity function and Black–Scholes, numpy's sample
 * covariance, scipy's normal quantile) on the same documents, linear and with options: agreement
 * to 1e-6 relative, in total and per account.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { PortfolioDocument } from '../../shared/portfolio-document'
import { computeRiskReport } from '../report'
import { linearBook, optionBook } from './__fixtures__/books'
import { computeVar } from './var'

const SCRIPT = fileURLToPath(new URL('./__reference__/var_reference.py', import.meta.url))

interface Tail {
  var: number
  es: number
}
interface Reference {
  n: number
  k: number
  historical: Tail
  parametric: Tail & { sigma: number }
  accounts: Record<string, { historical: Tail; parametric: Tail }>
}

function reference(doc: PortfolioDocument): Reference {
  const dir = mkdtempSync(join(tmpdir(), 'fulcrum-var-ref-'))
  const file = join(dir, 'doc.json')
  writeFileSync(file, JSON.stringify(doc))
  return JSON.parse(execFileSync('/usr/bin/python3', [SCRIPT, file], { encoding: 'utf8' })) as Reference
}

function close(actual: number | null, expected: number, rel = 1e-6): void {
  expect(actual).not.toBeNull()
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-9))
}

const cases: Array<[string, PortfolioDocument]> = [
  ['linear book, 99 % 1 day', linearBook(7, 300)],
  ['linear book, 95 % 10 days', linearBook(8, 400, { varConfidence: 0.95, varHorizonDays: 10 })],
  ['options book, 99 % 1 day', optionBook(11, 300)],
  ['options book, 97.5 % 5 days', optionBook(12, 250, { varConfidence: 0.975, varHorizonDays: 5 })],
]

describe.each(cases)('VaR and ES against numpy/scipy: %s', (_name, doc) => {
  const ref = reference(doc)
  const mine = computeVar(doc, undefined, ['historical'])

  it('uses the same scenarios and tail size', () => {
    expect(mine.historicalScenarios).toBe(ref.n)
    expect(ref.k).toBeGreaterThan(1)
  })

  it('historical VaR and ES, total and per account, to 1e-6 relative', () => {
    close(mine.var.historical, ref.historical.var)
    close(mine.expectedShortfall.historical, ref.historical.es)
    for (const row of mine.byAccount) {
      close(row.var.historical, ref.accounts[row.id]!.historical.var)
      close(row.expectedShortfall.historical, ref.accounts[row.id]!.historical.es)
    }
  })

  it('parametric (delta-normal) VaR and ES, total and per account, to 1e-6 relative', () => {
    close(mine.var.parametric, ref.parametric.var)
    close(mine.expectedShortfall.parametric, ref.parametric.es)
    for (const row of mine.byAccount) {
      close(row.var.parametric, ref.accounts[row.id]!.parametric.var)
      close(row.expectedShortfall.parametric, ref.accounts[row.id]!.parametric.es)
    }
  })

  it('the report carries the same parametric figure (to its 10 significant digits)', () => {
    const report = computeRiskReport(doc)
    close(report.portfolio.var.parametric, ref.parametric.var, 1e-9)
    close(report.portfolio.expectedShortfall.parametric, ref.parametric.es, 1e-9)
  })
})
