import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal, decToString } from '../shared/decimal'
import { COMMA_STYLE, DOT_STYLE, SUPPORTED_LOCALE_STYLES, formatDecimal, inferNumberStyle, isEmptyValue, parseDecimal } from './numbers'

const ok = (text: string, style?: Parameters<typeof parseDecimal>[1]): string => {
  const r = parseDecimal(text, style)
  if (!r.ok) throw new Error(r.reason)
  return r.value
}

describe('parseDecimal', () => {
  it('keeps exact decimals (never through a float)', () => {
    expect(ok('0.1')).toBe('0.1')
    expect(ok('65000.50')).toBe('65000.5')
    expect(ok('0.00000000000000000001')).toBe('0.00000000000000000001')
    expect(ok('123456789012345678.123456789')).toBe('123456789012345678.123456789')
    expect(ok('-0')).toBe('0')
    expect(ok('+5')).toBe('5')
    expect(ok('\u22125')).toBe('-5')
    expect(ok('(5.25)')).toBe('-5.25')
  })

  it('reads a decimal comma, which parseFloat reads as 1', () => {
    expect(ok('1,5')).toBe('1.5')
    expect(ok('0,00012')).toBe('0.00012')
  })

  it('reads thousands separators in every supported locale', () => {
    expect(ok('1,234.56')).toBe('1234.56')
    expect(ok('1.234,56')).toBe('1234.56')
    expect(ok('1 234,56')).toBe('1234.56')
    expect(ok('1\u202f234,56')).toBe('1234.56')
    expect(ok("1'234.56")).toBe('1234.56')
    expect(ok('1,234,567')).toBe('1234567')
    expect(ok('1.234.567')).toBe('1234567')
  })

  it('normalises exchange scientific notation to plain decimals', () => {
    expect(ok('1.2E-7')).toBe('0.00000012')
    expect(ok('0E-8')).toBe('0')
    expect(ok('-3.5e3')).toBe('-3500')
  })

  it('rejects "1,234" without a style as ambiguous, with a reason', () => {
    const r = parseDecimal('1,234')
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/ambiguous.*thousands or decimals/) })
    expect(ok('1,234', DOT_STYLE)).toBe('1234')
    expect(ok('1,234', COMMA_STYLE)).toBe('1.234')
  })

  it('never takes the plain-number shortcut where a dot may group thousands', () => {
    expect(ok('1.000', COMMA_STYLE)).toBe('1000')
    expect(parseDecimal('1.000').ok).toBe(false)
    expect(ok('1.000', DOT_STYLE)).toBe('1')
  })

  it('canonicalises plain decimals exactly as decimal.js does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,25}(\.\d{1,25})?$/), (text) => {
        expect(ok(text, DOT_STYLE)).toBe(decToString(new Decimal(text)))
      }),
    )
  })

  it('rejects values that contradict the column style or are not numbers', () => {
    expect(parseDecimal('1,5', DOT_STYLE).ok).toBe(false)
    expect(parseDecimal('12abc').ok).toBe(false)
    expect(parseDecimal('1,2,3.4,5').ok).toBe(false)
    expect(parseDecimal('12 34').ok).toBe(false)
    expect(parseDecimal('').ok).toBe(false)
  })

  it('knows the venues\' empty markers', () => {
    for (const t of ['', '--', '-', ' ', 'N/A']) expect(isEmptyValue(t)).toBe(true)
    expect(isEmptyValue('0')).toBe(false)
  })

  it('formatting a decimal in any supported locale and parsing it back is the identity', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.option(fc.stringMatching(/^\d{0,11}[1-9]$/), { nil: undefined }))
      .map(([neg, int, frac]) => {
        const s = int.toString() + (frac ? '.' + frac : '')
        return neg && s !== '0' ? '-' + s : s
      })
    fc.assert(
      fc.property(decimal, fc.constantFrom(...SUPPORTED_LOCALE_STYLES), (value, style) => {
        const text = formatDecimal(value, style)
        const parsed = parseDecimal(text, { decimal: style.decimal, group: style.group })
        expect(parsed).toEqual({ ok: true, value })
      }),
    )
  })
})

describe('inferNumberStyle', () => {
  it('decides from decisive values', () => {
    expect(inferNumberStyle(['1.234,56', '7']).style).toBe(COMMA_STYLE)
    expect(inferNumberStyle(['0,5', '1']).style).toBe(COMMA_STYLE)
    expect(inferNumberStyle(['1,234.5']).style).toBe(DOT_STYLE)
    expect(inferNumberStyle(['0.015', '65000.1']).style).toBe(DOT_STYLE)
    expect(inferNumberStyle(['1.2E-7']).style).toBe(DOT_STYLE)
  })

  it('leaves integer-only and "1,234"-only columns undecided unless the file decided', () => {
    expect(inferNumberStyle(['1', '20', '--']).style).toBeUndefined()
    expect(inferNumberStyle(['1,234', '5,678']).style).toBeUndefined()
    expect(inferNumberStyle(['1,234'], COMMA_STYLE).style).toBe(COMMA_STYLE)
  })
})
