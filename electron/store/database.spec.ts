import BetterSqlite3 from 'better-sqlite3'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeDatabase, DatabaseRefusedError, FULCRUM_APPLICATION_ID, openDatabase } from './database'
import { LATEST_SCHEMA_VERSION } from './migrations'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-db-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

function refusal(file: string): DatabaseRefusedError {
  try {
    const opened = openDatabase(file)
    closeDatabase(opened.db)
  } catch (error) {
    if (error instanceof DatabaseRefusedError) return error
    throw error
  }
  throw new Error('expected the database to be refused')
}

describe('openDatabase', () => {
  it('creates a new file with the latest schema, WAL, foreign keys and our application id', () => {
    const file = path.join(dir, 'nested', 'fulcrum.sqlite')
    const opened = openDatabase(file)
    try {
      expect(opened.created).toBe(true)
      expect(opened.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
      expect(opened.db.pragma('application_id', { simple: true })).toBe(FULCRUM_APPLICATION_ID)
      expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(opened.db.pragma('foreign_keys', { simple: true })).toBe(1)
    } finally {
      closeDatabase(opened.db)
    }
    const again = openDatabase(file)
    expect(again.created).toBe(false)
    expect(again.fromVersion).toBe(LATEST_SCHEMA_VERSION)
    closeDatabase(again.db)
  })

  it('reopens a database whose process died before its first checkpoint (id and version only in the WAL)', () => {
    const file = path.join(dir, 'fulcrum.sqlite')
    const crashed = path.join(dir, 'crashed.sqlite')
    const opened = openDatabase(file)
    try {
      opened.db.prepare("INSERT INTO meta(key, value) VALUES ('probe', 'kept')").run()
      // The files exactly as a SIGKILL leaves them: nothing checkpointed, the header still blank.
      for (const ext of ['', '-wal', '-shm']) fs.copyFileSync(`${file}${ext}`, `${crashed}${ext}`)
    } finally {
      closeDatabase(opened.db)
    }
    expect(fs.readFileSync(crashed).readInt32BE(68)).not.toBe(FULCRUM_APPLICATION_ID)
    const again = openDatabase(crashed)
    try {
      expect(again.created).toBe(false)
      expect(again.db.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: 'kept' })
    } finally {
      closeDatabase(again.db)
    }
  })

  it('treats an empty (0-byte) file as new', () => {
    const file = path.join(dir, 'empty.sqlite')
    fs.writeFileSync(file, '')
    const opened = openDatabase(file)
    expect(opened.created).toBe(true)
    closeDatabase(opened.db)
  })

  it('refuses a database from a newer Fulcrum and leaves it byte for byte unchanged', () => {
    const file = path.join(dir, 'newer.sqlite')
    const opened = openDatabase(file)
    opened.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    closeDatabase(opened.db)
    const before = sha(file)
    const error = refusal(file)
    expect(error.reason).toBe('newer')
    expect(error.message).toMatch(/newer Fulcrum/)
    expect(error.message).toMatch(/not modified/)
    expect(sha(file)).toBe(before)
    expect(fs.existsSync(`${file}-wal`)).toBe(false)
  })

  it('refuses a file that is not SQLite at all, unchanged', () => {
    const file = path.join(dir, 'garbage.sqlite')
    fs.writeFileSync(file, Buffer.from('this is definitely not a database, it is a shopping list\n'.repeat(50)))
    const before = sha(file)
    const error = refusal(file)
    expect(error.reason).toBe('corrupt')
    expect(sha(file)).toBe(before)
  })

  it('refuses a file with an SQLite header but damaged pages, unchanged', () => {
    const file = path.join(dir, 'damaged.sqlite')
    const opened = openDatabase(file)
    closeDatabase(opened.db)
    const bytes = fs.readFileSync(file)
    // Keep the 16-byte magic, wreck the rest of the header (page size, counters, schema cookie).
    for (let i = 16; i < Math.min(bytes.length, 4096); i++) bytes[i] = 0xff
    fs.writeFileSync(file, bytes)
    const before = sha(file)
    const error = refusal(file)
    expect(error.reason).toBe('corrupt')
    expect(sha(file)).toBe(before)
  })

  it("refuses another program's SQLite database", () => {
    const file = path.join(dir, 'other.sqlite')
    const other = new BetterSqlite3(file)
    other.exec('CREATE TABLE songs (title TEXT)')
    other.close()
    const before = sha(file)
    const error = refusal(file)
    expect(error.reason).toBe('foreign')
    expect(sha(file)).toBe(before)
  })
})

describe('migrating an older schema', () => {
  it('copies the file aside first, then brings it to the latest version with its data', () => {
    const file = path.join(dir, 'old.sqlite')
    const opened = openDatabase(file)
    opened.db.prepare("INSERT INTO settings(key, value) VALUES ('theme', '\"light\"')").run()
    // Undo the last migration by hand (it only adds indexes), so the file is one version old.
    opened.db.exec('DROP INDEX accounts_ord; DROP INDEX positions_ord; DROP INDEX underlyings_ord')
    opened.db.pragma(`user_version = ${LATEST_SCHEMA_VERSION - 1}`)
    closeDatabase(opened.db)

    const again = openDatabase(file)
    try {
      expect(again.fromVersion).toBe(LATEST_SCHEMA_VERSION - 1)
      expect(again.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
      const indexes = (again.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE '%_ord'").all() as { name: string }[]).map((r) => r.name)
      expect(indexes.sort()).toEqual(['accounts_ord', 'positions_ord', 'underlyings_ord'])
      expect(again.db.prepare("SELECT value FROM settings WHERE key = 'theme'").get()).toEqual({ value: '"light"' })
    } finally {
      closeDatabase(again.db)
    }
    const backup = `${file}.before-schema-${LATEST_SCHEMA_VERSION}.bak`
    const copy = new BetterSqlite3(backup, { readonly: true })
    expect(copy.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION - 1)
    copy.close()
  })
})
