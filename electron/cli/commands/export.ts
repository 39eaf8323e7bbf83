import fs from 'node:fs'
import { startBackend } from '../../services/backend'
import { defaultDbFile } from '../../services/paths'
import { DatabaseRefusedError } from '../../store/database'
import { parseCliArgs } from '../args'
import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../command'

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the whole book as a portfolio document (JSON) to stdout',
  usage: [
    'usage: fulcrum export [--db FILE] [--out FILE]',
    '',
    'Writes the portfolio document (fulcrum.portfolio/1) of the database to stdout, or to --out.',
  ].join('\n'),
  run: async (argv, io) => {
    const { values } = parseCliArgs(argv, { db: { type: 'string' }, out: { type: 'string' } }, false)
    const dataFile = values.db ?? defaultDbFile()
    if (!fs.existsSync(dataFile)) {
      io.stderr(`fulcrum export: no database at ${dataFile}\n`)
      return EXIT_USAGE
    }
    let backend
    try {
      backend = startBackend({ dataFile, mode: 'test', seedDemoOnCreate: false, startFeatures: false })
    } catch (error) {
      if (error instanceof DatabaseRefusedError) {
        io.stderr(`fulcrum export: ${error.message}\n`)
        return EXIT_USAGE
      }
      throw error
    }
    try {
      const text = `${JSON.stringify(backend.service.table.portfolioExport({}), null, 2)}\n`
      if (values.out) fs.writeFileSync(values.out, text)
      else io.stdout(text)
      return EXIT_OK
    } finally {
      await backend.close()
    }
  },
}
