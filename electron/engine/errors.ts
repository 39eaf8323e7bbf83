import type { ValidationIssue } from '../shared/portfolio-document'

/**
 * A document that passed the schema but cannot be valued (a position on an underlying without a
 * price, a collateral asset nobody prices, an option without any volatility). Carries every such
 * problem with its JSON path, like a schema error, so the CLI can exit 2 and print them all.
 */
export class RiskInputError extends Error {
  override name = 'RiskInputError'
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'))
  }
}
