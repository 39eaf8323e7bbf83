import fs from 'node:fs'
import { startBackend } from '../../services/backend'
import { defaultDbFile } from '../../services/paths'
import { DatabaseRefusedError } from '../../store/database'
import { dispatch } from '../../transports/dispatch'
import { parseCliArgs } from '../args'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand } from '../command'

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'replace the book with a portfolio document (JSON file or - for stdin)',
  usage: [
    'usage: fulcrum import FILE [--db FILE]',
    '',
    'Replaces the book in the database with the portfolio document FILE (fulcrum.portfolio/1).',
    'The document is validated first; if any field is invalid nothing is written and every error is',
    'printed with its JSON path (exit 2).',
  ].join('\n'),
  run: async (argv, io) => {
    const { values, positionals } = parseCliArgs(argv, { db: { type: 'string' } })
    const [file, ...extra] = positionals
    if (!file || extra.length) throw new UsageError('give exactly one FILE (or - for stdin)')
    let text: string
    try {
      text = file === '-' ? await io.readStdin() : fs.readFileSync(file, 'utf8')
    } catch (error) {
      io.stderr(`fulcrum import: cannot read ${file}: ${(error as Error).message}\n`)
      return EXIT_USAGE
    }
    let document: unknown
    try {
      document = JSON.parse(text.replace(/^\uFEFF/, ''))
    } catch (error) {
      io.stderr(`fulcrum import: ${file} is not valid JSON: ${(error as Error).message}\n`)
      return EXIT_USAGE
    }
    let backend
    try {
      backend = startBackend({ dataFile: values.db ?? defaultDbFile(), mode: 'test', seedDemoOnCreate: false, startFeatures: false })
    } catch (error) {
      if (error instanceof DatabaseRefusedError) {
        io.stderr(`fulcrum import: ${error.message}\n`)
        return EXIT_USAGE
      }
      throw error
    }
    try {
      const result = await dispatch(backend.service.table, 'portfolioImport', { document })
      if (!result.ok) {
        io.stderr(`fulcrum import: ${result.error.message}\n`)
        for (const issue of result.error.issues ?? []) io.stderr(`  ${issue.path}: ${issue.message}\n`)
        return result.error.code === 'invalid_input' ? EXIT_USAGE : EXIT_FAILURE
      }
      const s = result.value as { accounts: number; positions: number; underlyings: number }
      io.stderr(`Imported ${s.accounts} account(s), ${s.positions} position(s), ${s.underlyings} underlying(s).\n`)
      return EXIT_OK
    } finally {
      await backend.close()
    }
  },
}
