import fs from 'node:fs'
import path from 'node:path'
import { startBackend } from '../../services/backend'
import { defaultDbFile } from '../../services/paths'
import { JobCancelled, JobRefused, runImport } from '../../services/ledger-jobs'
import { DatabaseRefusedError } from '../../store/database'
import { dispatch } from '../../transports/dispatch'
import { FORMAT_IDS, type FormatId } from '../../importers/types'
import { parseCliArgs } from '../args'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIo } from '../command'

/**
 * A portfolio document is JSON: named .json, read from stdin, or starting with "{". Everything else is an
 * exchange export for the ledger (CSV of any of the supported venues, or a file with a remembered mapping).
 */
function isJsonDocument(file: string): boolean {
  if (file === '-' || /\.json$/i.test(file)) return true
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(64)
    const n = fs.readSync(fd, head, 0, 64, 0)
    return /^\uFEFF?\s*[{[]/.test(head.subarray(0, n).toString('utf8'))
  } finally {
    fs.closeSync(fd)
  }
}

async function importDocument(file: string, dbFile: string, io: CliIo): Promise<number> {
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
    backend = startBackend({ dataFile: dbFile, mode: 'test', seedDemoOnCreate: false, startFeatures: false })
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
}

interface LedgerOptions {
  format?: FormatId
  account?: string
  mapping?: unknown
  utcOffsetMinutes?: number
  dryRun: boolean
  json: boolean
  strict: boolean
  progress: boolean
}

async function importExport(file: string, dbFile: string, o: LedgerOptions, io: CliIo): Promise<number> {
  let backend
  try {
    // Opening through the backend creates or migrates the file exactly as the app would.
    backend = startBackend({ dataFile: dbFile, mode: 'test', seedDemoOnCreate: false, startFeatures: false })
  } catch (error) {
    if (error instanceof DatabaseRefusedError) {
      io.stderr(`fulcrum import: ${error.message}\n`)
      return EXIT_USAGE
    }
    throw error
  }
  const dataFile = backend.database.file
  let lastPct = -1
  try {
    const result = runImport({
      dbFile: dataFile,
      now: new Date().toISOString(),
      filePath: file,
      fileName: path.basename(file),
      ...(o.account ? { accountId: o.account, createAccount: {} } : {}),
      ...(o.format ? { format: o.format } : {}),
      ...(o.mapping !== undefined ? { mapping: o.mapping } : {}),
      ...(o.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: o.utcOffsetMinutes } : {}),
      onRejected: o.strict ? 'abort' : 'skip',
      dryRun: o.dryRun,
      progress: o.progress
        ? (fraction, rows) => {
            const pct = Math.floor(fraction * 100)
            if (pct !== lastPct) {
              lastPct = pct
              io.stderr(`import: ${pct}% read, ${rows} entries\n`)
            }
          }
        : undefined,
    })
    const nothing = result.inserted + result.duplicates === 0
    if (o.json) {
      io.stdout(
        `${JSON.stringify(
          {
            format: result.format,
            account: result.account,
            inserted: result.inserted,
            duplicates: result.duplicates,
            rejected: result.rejected.map((r) => ({ line: r.line, column: r.column ?? null, reason: r.reason })),
          },
          null,
          2,
        )}\n`,
      )
    } else {
      io.stdout(
        `${result.dryRun ? 'Dry run: would import' : 'Imported'} ${result.inserted} entr${result.inserted === 1 ? 'y' : 'ies'} into ${result.account} ` +
          `(${result.format}); ${result.duplicates} already in the ledger, ${result.rejectedCount} row(s) rejected.\n`,
      )
      for (const r of result.rejected) io.stdout(`  line ${r.line}${r.column ? `, column "${r.column}"` : ''}: ${r.reason}\n`)
    }
    for (const w of result.warnings) io.stderr(`warning: ${w}\n`)
    if (result.rejectedCount > result.rejected.length) io.stderr(`(${result.rejectedCount - result.rejected.length} more rejected rows not listed)\n`)
    return nothing ? EXIT_USAGE : EXIT_OK
  } catch (error) {
    if (error instanceof JobRefused || error instanceof JobCancelled) {
      if (o.json) io.stdout(`${JSON.stringify({ error: error.message }, null, 2)}\n`)
      io.stderr(`fulcrum import: ${error.message}\n`)
      return EXIT_USAGE
    }
    throw error
  } finally {
    await backend.close()
  }
}

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'import a portfolio document (JSON) or an exchange CSV export into the ledger',
  usage: [
    'usage: fulcrum import FILE [--db FILE]',
    '       fulcrum import EXPORT.csv [--db FILE] [--format NAME] [--account ID] [--mapping MAPPING.json]',
    '                     [--utc-offset MINUTES] [--strict] [--dry-run] [--json] [--progress]',
    '',
    'A portfolio document (fulcrum.portfolio/1, a .json file or - for stdin) replaces the book. It is',
    'validated first; if any field is invalid nothing is written and every error is printed with its',
    'JSON path (exit 2).',
    '',
    'Any other file is an exchange export (Binance USDⓈ-M/COIN-M trade history, Bybit trade history or',
    'transaction log, OKX trading history, Deribit transaction log, or a header whose column mapping was',
    'remembered). Its format is detected from the header unless --format names it:',
    `  ${FORMAT_IDS.join(', ')}`,
    'Entries go into the ledger of --account (created if new; default: the account holding the file\'s',
    'exchange UID, else <venue>-<UID>), in one transaction; entries already there are skipped, so importing',
    'a file twice or overlapping exports adds each entry once. Positions are derived from the ledger and',
    'shown in the book (`fulcrum export`). Rejected rows are reported with line, column and reason; the',
    'valid rows are imported unless --strict, which imports nothing when any row is rejected.',
    '',
    '--json prints { "format", "account", "inserted", "duplicates", "rejected": [{ "line", "column", "reason" }] }.',
    'Exit 0 when something was read into the ledger (new or already there), 2 when nothing could be imported.',
  ].join('\n'),
  run: async (argv, io) => {
    const { values, positionals } = parseCliArgs(argv, {
      db: { type: 'string' },
      format: { type: 'string' },
      account: { type: 'string' },
      mapping: { type: 'string' },
      'utc-offset': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
    })
    const [file, ...extra] = positionals
    if (!file || extra.length) throw new UsageError('give exactly one FILE (or - for stdin)')
    const dbFile = values.db ?? defaultDbFile()
    if (file !== '-' && !fs.existsSync(file)) {
      io.stderr(`fulcrum import: cannot read ${file}: no such file\n`)
      return EXIT_USAGE
    }
    if (isJsonDocument(file)) return importDocument(file, dbFile, io)

    if (values.format !== undefined && !(FORMAT_IDS as readonly string[]).includes(values.format)) {
      throw new UsageError(`--format must be one of ${FORMAT_IDS.join(', ')}`)
    }
    let mapping: unknown
    if (values.mapping !== undefined) {
      try {
        mapping = JSON.parse(fs.readFileSync(values.mapping, 'utf8')) as unknown
      } catch (error) {
        throw new UsageError(`--mapping: cannot read a JSON column mapping from ${values.mapping} (${(error as Error).message})`)
      }
    }
    let utcOffsetMinutes: number | undefined
    if (values['utc-offset'] !== undefined) {
      utcOffsetMinutes = Number(values['utc-offset'])
      if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) throw new UsageError('--utc-offset must be whole minutes east of UTC, e.g. 180')
    }
    return importExport(
      file,
      dbFile,
      {
        format: values.format as FormatId | undefined,
        account: values.account,
        mapping,
        utcOffsetMinutes,
        dryRun: values['dry-run'] ?? false,
        json: values.json ?? false,
        strict: values.strict ?? false,
        progress: values.progress ?? false,
      },
      io,
    )
  },
}
