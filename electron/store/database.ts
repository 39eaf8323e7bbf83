/**
 * Opening the Fulcrum database: refuse what we must not touch, migrate what we may.
 *
 * A file from a newer Fulcrum, a corrupt file, or some other program's SQLite file is refused with a
 * clear message and never modified: every check runs on a read-only handle before the first write
 * (even `journal_mode=WAL` writes to the file, so it comes after the checks).
 */
import BetterSqlite3 from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { LATEST_SCHEMA_VERSION, migrations } from './migrations'

export type Db = BetterSqlite3.Database

/** PRAGMA application_id of a Fulcrum database: "FLCR" in ASCII. Tells our files from other SQLite files. */
export const FULCRUM_APPLICATION_ID = 0x464c4352

export type RefusalReason = 'newer' | 'corrupt' | 'foreign' | 'unreadable'

export class DatabaseRefusedError extends Error {
  override name = 'DatabaseRefusedError'
  constructor(
    readonly reason: RefusalReason,
    readonly file: string,
    message: string,
  ) {
    super(message)
  }
}

export interface OpenOptions {
  /** Path of a better-sqlite3 build for this runtime's ABI (Electron's differs from Node's). */
  nativeBinding?: string
  /** Copy the file aside before migrating an older schema (default true). */
  backupBeforeMigrate?: boolean
}

export interface OpenedDatabase {
  db: Db
  file: string
  /** true when this open created the schema (a new or empty file): the app seeds its demo then */
  created: boolean
  /** schema version found on disk before migrating */
  fromVersion: number
  schemaVersion: number
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

function readHeader(file: string): Buffer | null {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, 'r')
    const buf = Buffer.alloc(100)
    const n = fs.readSync(fd, buf, 0, 100, 0)
    return buf.subarray(0, n)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new DatabaseRefusedError('unreadable', file, `Cannot read ${file}: ${(error as Error).message}`)
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

interface Inspection {
  empty: boolean
  userVersion: number
  applicationId: number
}

/**
 * Read-only look at an existing file. Throws DatabaseRefusedError for anything we must not open.
 * Version and application id come straight from the 100-byte header, so a newer or foreign file is
 * refused without SQLite ever opening it (even a read-only open of a WAL database creates side files).
 */
function inspect(file: string, options: OpenOptions): Inspection {
  const header = readHeader(file)
  if (header === null || header.length === 0) return { empty: true, userVersion: 0, applicationId: 0 }
  const corrupt = (why: string): DatabaseRefusedError =>
    new DatabaseRefusedError(
      'corrupt',
      file,
      `${file} is not a usable Fulcrum database (${why}). It was not modified; restore it from a backup or start with a new file.`,
    )
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_HEADER)) throw corrupt('not an SQLite file')
  const rawPageSize = header.readUInt16BE(16)
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw corrupt('damaged header')
  const userVersion = header.readInt32BE(60)
  const applicationId = header.readInt32BE(68)
  if (applicationId === FULCRUM_APPLICATION_ID && userVersion > LATEST_SCHEMA_VERSION) {
    return { empty: false, userVersion, applicationId }
  }

  // The header looks sane: make SQLite read the schema to catch damage further in.
  const sideFiles = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f))
  let ro: Db | undefined
  try {
    ro = new BetterSqlite3(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding })
    const tables = (ro.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n
    // The header in the main file lags the write-ahead log until a checkpoint: after a crash (a killed
    // process) the newest user_version and application_id may exist only in the -wal file, which SQLite reads.
    const liveVersion = ro.pragma('user_version', { simple: true }) as number
    const liveId = ro.pragma('application_id', { simple: true }) as number
    return { empty: tables === 0 && liveVersion === 0, userVersion: liveVersion, applicationId: liveId }
  } catch (error) {
    throw corrupt((error as Error).message)
  } finally {
    ro?.close()
    // A read-only open of a WAL file leaves empty -wal/-shm behind; remove the ones we caused.
    for (const f of sideFiles) {
      const st = fs.statSync(f, { throwIfNoEntry: false })
      if (st && (f.endsWith('-shm') || st.size === 0)) fs.rmSync(f, { force: true })
    }
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const resolved = path.resolve(file)
  const found = inspect(resolved, options)
  if (!found.empty && found.applicationId !== FULCRUM_APPLICATION_ID) {
    throw new DatabaseRefusedError(
      'foreign',
      resolved,
      `${resolved} is an SQLite database of another program, not Fulcrum's. It was not modified.`,
    )
  }
  if (found.userVersion > LATEST_SCHEMA_VERSION) {
    throw new DatabaseRefusedError(
      'newer',
      resolved,
      `${resolved} was written by a newer Fulcrum (schema ${found.userVersion}; this version understands up to ${LATEST_SCHEMA_VERSION}). ` +
        'Update Fulcrum to open it. The file was not modified.',
    )
  }

  fs.mkdirSync(path.dirname(resolved), { recursive: true })
  const db = new BetterSqlite3(resolved, { nativeBinding: options.nativeBinding })
  try {
    db.pragma('journal_mode = WAL')
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')

    if (!found.empty && found.userVersion < LATEST_SCHEMA_VERSION && options.backupBeforeMigrate !== false) {
      const backup = `${resolved}.before-schema-${LATEST_SCHEMA_VERSION}.bak`
      if (!fs.existsSync(backup)) db.exec(`VACUUM INTO '${backup.replaceAll("'", "''")}'`)
    }
    migrate(db, found.userVersion)
    return {
      db,
      file: resolved,
      created: found.empty,
      fromVersion: found.userVersion,
      schemaVersion: LATEST_SCHEMA_VERSION,
    }
  } catch (error) {
    db.close()
    throw error
  }
}

/** Applies every migration above `from`, each in its own transaction together with its user_version bump. */
export function migrate(db: Db, from: number): void {
  // In version order whatever the array's order: several features append migrations concurrently.
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= from) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`application_id = ${FULCRUM_APPLICATION_ID}`)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}

/** Cheap on-demand check (full integrity_check is ~2 s per 100 MB: never at every start). */
export function integrityCheck(db: Db): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[]
  return rows.map((r) => r.integrity_check).filter((s) => s !== 'ok')
}

export function closeDatabase(db: Db): void {
  if (!db.open) return
  try {
    // Fold the WAL back so a backup of the single .sqlite file is complete.
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}
