/**
 * Public API of the exchange importers (pure: no SQLite, no Electron). The import service wires these onto
 * the ledger store: previewImport to show the user what will be imported, parseImport to stream entries into
 * a transaction keyed by dedupeKey (unique per account), generic mappings remembered by headerSignature.
 */
export { previewImport, parseImport, issueText, type ImportPreview, type ImportPlan, type PreviewOptions, type ImportResult } from './preview'
export type { ImportOptions, FormatChoice, RowCounts, SessionSummary } from './pipeline'
export { detectFormat, type Detection, type DetectionCandidate } from './detect'
export {
  genericMappingSchema,
  headerSignature,
  suggestMapping,
  checkMapping,
  type GenericMapping,
  type GenericMappingInput,
} from './generic'
export { decodeBytes, detectEncoding, createDecoder, type TextEncodingName } from './decode'
export { CsvRecordReader, readCsvRecords, sniffDelimiter, type CsvRecord, type Delimiter } from './csv'
export { parseDecimal, inferNumberStyle, formatDecimal, type NumberStyle } from './numbers'
export { parseSymbol, CONTRACT_SIZES, type SymbolVenue, type SymbolResult } from './symbols'
export { parseTimestamp, parseUtcOffset } from './time'
export { toCsv, createCsvWriter, guardFormula, stripFormulaGuard, type ExportColumn } from './csv-export'
export { BUILT_IN_FORMATS } from './formats'
export {
  ledgerEntrySchema,
  LEDGER_ENTRY_KINDS,
  FORMAT_IDS,
  ImportError,
  type LedgerEntry,
  type LedgerEntryKind,
  type FormatId,
  type RowIssue,
  type FileIssue,
} from './types'
