/** `fulcrum export` / `import` in-process on real files, and once as a real subprocess via npm's tsx path. */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from './index'
import type { CliIo } from './command'
import { demoDocument } from '../services/demo'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-cli-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => stdin }
  const code = await main(argv, io)
  return { code, out, err }
}

describe('fulcrum import / export', () => {
  it('imports a document into a new database and exports it back identically', async () => {
    const db = path.join(dir, 'book.sqlite')
    const doc = demoDocument(new Date('2026-11-24T08:00:00Z'))
    const file = path.join(dir, 'doc.json')
    fs.writeFileSync(file, JSON.stringify(doc))
    const imported = await run(['import', file, '--db', db])
    expect(imported).toMatchObject({ code: 0, out: '' })
    expect(imported.err).toMatch(/Imported 4 account\(s\), 9 position\(s\)/)
    const exported = await run(['export', '--db', db])
    expect(exported.code).toBe(0)
    const back = JSON.parse(exported.out) as typeof doc
    expect(back.accounts).toEqual(doc.accounts)
    expect(back.positions).toEqual(doc.positions)
    // And the exported document is itself a fixpoint.
    fs.writeFileSync(file, exported.out)
    await run(['import', file, '--db', db])
    const again = await run(['export', '--db', db])
    expect({ ...JSON.parse(again.out), asOf: 'x' }).toEqual({ ...back, asOf: 'x' })
  })

  it('rejects an invalid document with every JSON path on stderr, exit 2, nothing written', async () => {
    const db = path.join(dir, 'book.sqlite')
    const file = path.join(dir, 'bad.json')
    const doc = demoDocument(new Date('2026-11-24T08:00:00Z')) as unknown as { positions: Record<string, unknown>[]; accounts: Record<string, unknown>[] }
    doc.positions[0]!.quantity = 'lots'
    doc.accounts[1]!.venue = 'ftx'
    fs.writeFileSync(file, JSON.stringify(doc))
    const r = await run(['import', file, '--db', db])
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('positions[0].quantity')
    expect(r.err).toContain('accounts[1].venue')
    const exported = await run(['export', '--db', db])
    expect(JSON.parse(exported.out).accounts).toEqual([])
  })

  it('says clearly when the file is not JSON or the database does not exist', async () => {
    const notJson = path.join(dir, 'x.json')
    fs.writeFileSync(notJson, 'date,close\n2026-01-01,1\n')
    const r = await run(['import', notJson, '--db', path.join(dir, 'b.sqlite')])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/not valid JSON/)
    const e = await run(['export', '--db', path.join(dir, 'missing.sqlite')])
    expect(e.code).toBe(2)
    expect(e.err).toMatch(/no database at/)
    expect(fs.existsSync(path.join(dir, 'missing.sqlite'))).toBe(false)
  })

  it('reports usage errors with exit 2', async () => {
    expect((await run(['export', '--bogus'])).code).toBe(2)
    expect((await run(['frobnicate'])).code).toBe(2)
    expect((await run(['import'])).code).toBe(2)
  })

  it('runs as `npm run --silent fulcrum -- export` straight from the sources', () => {
    const db = path.join(dir, 'book.sqlite')
    const file = path.join(dir, 'doc.json')
    fs.writeFileSync(file, JSON.stringify(demoDocument(new Date('2026-11-24T08:00:00Z'))))
    execFileSync('npm', ['run', '--silent', 'fulcrum', '--', 'import', file, '--db', db], { stdio: 'pipe' })
    const r = spawnSync('npm', ['run', '--silent', 'fulcrum', '--', 'export', '--db', db], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'fulcrum.portfolio/1' })
  })
})
