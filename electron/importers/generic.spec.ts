import { describe, expect, it } from 'vitest'
import { checkMapping, genericMappingSchema, headerSignature, suggestMapping } from './generic'
import { previewImport } from './preview'

const FILE = [
  'Datum;Kontrakt;Richtung;Menge;Kurs;Gebühr;Gebühr Währung;Ref',
  '17.03.2026 09:34;BTC-PERPETUAL;Kauf;1.000;65.000,5;0,0001;BTC;A-1',
  '17.03.2026 10:00;BTC-PERPETUAL;Verkauf;500;65.100;0,00005;BTC;A-2',
].join('\n')

const MAPPING = {
  venue: 'deribit' as const,
  symbolVenue: 'deribit' as const,
  columns: { time: 'Datum', symbol: 'Kontrakt', side: 'Richtung', quantity: 'Menge', price: 'Kurs', fee: 'Gebühr', feeAsset: 'Gebühr Währung', externalId: 'Ref' },
  sideValues: { buy: ['Kauf'], sell: ['Verkauf'] },
  utcOffsetMinutes: 60,
  decimalSeparator: ',' as const,
}

describe('headerSignature', () => {
  it('is the same for the same columns whatever their order, case, spacing or BOM', () => {
    expect(headerSignature(['\uFEFFTime', 'Symbol ', 'QTY'])).toBe(headerSignature(['qty', 'symbol', 'time']))
  })
  it('differs when the columns differ', () => {
    expect(headerSignature(['time', 'symbol', 'qty'])).not.toBe(headerSignature(['time', 'symbol', 'qty', 'fee']))
  })
})

describe('genericMappingSchema', () => {
  it('accepts a complete mapping and fills defaults', () => {
    const m = genericMappingSchema.parse(MAPPING)
    expect(m).toMatchObject({ version: 1, quantitySigned: false, feeSign: 'paid-positive' })
  })

  it('explains what a mapping lacks', () => {
    const r = genericMappingSchema.safeParse({ columns: { time: 'Datum', quantity: 'Menge' } })
    expect(r.success).toBe(false)
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(messages).toContain('columns.symbol: map a symbol column or give one instrument for all rows')
    expect(messages).toContain('columns.side: map a side column, or say the quantity is signed')
  })

  it('finds columns a remembered mapping names that a file lacks', () => {
    expect(checkMapping(genericMappingSchema.parse(MAPPING), ['Datum', 'Kontrakt'])).toContain('column "Menge" (mapped to quantity) is not in this file')
  })
})

describe('generic import', () => {
  it('reads a custom export through a mapping', () => {
    const p = previewImport(Buffer.from(FILE), { format: { mapping: MAPPING } })
    expect(p.errors).toEqual([])
    expect(p.format).toBe('generic')
    expect(p.firstRows).toEqual([
      expect.objectContaining({
        kind: 'trade', venue: 'deribit', time: '2026-03-17T08:34:00Z', symbol: 'BTC-PERPETUAL', side: 'buy',
        quantity: '1000', price: '65000.5', fee: '0.0001', feeAsset: 'BTC', externalId: 'A-1', dedupeKey: 'deribit:A-1:trade',
      }),
      expect.objectContaining({ side: 'sell', quantity: '-500', price: '65100' }),
    ])
  })

  it('refuses a mapping that does not fit the file, with the column named', () => {
    const p = previewImport(Buffer.from(FILE), { format: { mapping: { ...MAPPING, columns: { ...MAPPING.columns, price: 'Preis' } } } })
    expect(p.errors[0]).toMatch(/column "Preis" \(mapped to price\) is not in this file/)
  })

  it('suggests a first mapping from common header names', () => {
    expect(suggestMapping(['Date(UTC)', 'Instrument', 'Side', 'Qty', 'Price', 'Fee', 'Trade ID'])).toEqual({
      time: 'Date(UTC)', symbol: 'Instrument', side: 'Side', quantity: 'Qty', price: 'Price', fee: 'Fee', externalId: 'Trade ID',
    })
  })
})
