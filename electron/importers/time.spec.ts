import { describe, expect, it } from 'vitest'
import { formatOffset, parseTimestamp, parseUtcOffset } from './time'

const iso = (t: string, off = 0): string => {
  const r = parseTimestamp(t, off)
  if (!r.ok) throw new Error(r.reason)
  return r.iso
}

describe('parseTimestamp', () => {
  it('reads every venue shape', () => {
    expect(iso('2026-03-17 09:34:12')).toBe('2026-03-17T09:34:12Z')
    expect(iso('26-03-17 09:34:12')).toBe('2026-03-17T09:34:12Z') // Binance yy-MM-dd
    expect(iso('10:00 2026-01-10')).toBe('2026-01-10T10:00:00Z') // Bybit time first
    expect(iso('2026-01-10 10:00:00.123')).toBe('2026-01-10T10:00:00.123Z')
    expect(iso('2026-01-10T10:00:00Z')).toBe('2026-01-10T10:00:00Z')
    expect(iso('17.03.2026 09:34')).toBe('2026-03-17T09:34:00Z')
    expect(iso('1767225600000')).toBe('2026-01-01T00:00:00Z')
    expect(iso('1767225600')).toBe('2026-01-01T00:00:00Z')
  })

  it('applies the file offset, but a zone written in the value wins', () => {
    expect(iso('2026-11-20 10:15:30', 180)).toBe('2026-11-20T07:15:30Z')
    expect(iso('2026-11-20 02:00:00', 480)).toBe('2026-11-19T18:00:00Z')
    expect(iso('2026-11-20T10:00:00+02:00', 480)).toBe('2026-11-20T08:00:00Z')
  })

  it('rejects impossible dates with a reason', () => {
    expect(parseTimestamp('2026-02-30 10:00:00')).toEqual({ ok: false, reason: 'is not a valid calendar date' })
    expect(parseTimestamp('yesterday').ok).toBe(false)
  })
})

describe('parseUtcOffset', () => {
  it('reads zones from headers, preambles and file names', () => {
    expect(parseUtcOffset('Transaction Time(UTC+0)')).toBe(0)
    expect(parseUtcOffset('Date(UTC)')).toBe(0)
    expect(parseUtcOffset('UID:1,Account Type:Main,Time Zone:UTC+8')).toBe(480)
    expect(parseUtcOffset('Binance-Futures-Trade-History-202608302008(UTC+3)-part1-of1.csv')).toBe(180)
    expect(parseUtcOffset('Binance-Futures-Trade-History-202603230520(UTC--6).csv')).toBe(-360)
    expect(parseUtcOffset('x(UTC+5:30).csv')).toBe(330)
    expect(parseUtcOffset('trades.csv')).toBeUndefined()
    expect(formatOffset(-330)).toBe('UTC-5:30')
  })
})
