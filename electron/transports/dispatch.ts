/**
 * The one validating wrapper every transport goes through: unknown method → error, input parsed
 * with the contract's schema, domain errors turned into result values. Nothing a caller sends can
 * reach a service handler unvalidated, and nothing a handler throws escapes as an exception.
 */
import { SqliteError } from 'better-sqlite3'
import { ZodError } from 'zod'
import { Channels, type MethodName } from '../shared/channels'
import { fail, inputSchemas, ok, type Result } from '../shared/api-contract'
import { toValidationIssues } from '../shared/portfolio-document'
import { ConflictError, NotFoundError } from '../store/book-repository'
import { DatabaseRefusedError } from '../store/database'
import { RiskInputError } from '../engine/errors'
import { ServiceError, type ServiceTable } from '../services/fulcrum-service'

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(Channels, name)
}

export function errorToResult(error: unknown, method: string): Result<never> {
  if (error instanceof ServiceError) return fail(error.code, error.message, error.issues)
  if (error instanceof NotFoundError) return fail('not_found', error.message)
  if (error instanceof ConflictError) return fail('conflict', error.message)
  if (error instanceof DatabaseRefusedError) return fail('refused', error.message)
  if (error instanceof ZodError) return fail('invalid_input', 'Invalid value', toValidationIssues(error))
  if (error instanceof RiskInputError) return fail('invalid_input', 'The book cannot be valued', error.issues)
  if (error instanceof SqliteError) {
    console.error(`fulcrum: ${method} failed in the database:`, error)
    return fail('internal', `The database refused the operation (${error.code}): ${error.message}`)
  }
  console.error(`fulcrum: ${method} failed:`, error)
  return fail('internal', `Internal error in ${method}: ${error instanceof Error ? error.message : String(error)}`)
}

export async function dispatch(table: ServiceTable, method: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) return fail('invalid_input', `Unknown method ${JSON.stringify(method)}`)
  const parsed = inputSchemas[method].safeParse(input ?? {})
  if (!parsed.success) {
    return fail('invalid_input', `Invalid input for ${method}`, toValidationIssues(parsed.error))
  }
  try {
    const handler = table[method] as (input: unknown) => unknown
    return ok(await handler(parsed.data))
  } catch (error) {
    return errorToResult(error, method)
  }
}
