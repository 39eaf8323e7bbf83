import { describe, expect, it } from 'vitest'
import { formatAge, sourceLabel } from './format-age'

describe('formatAge', () => {
  it.each([
    [null, '—'],
    [3, 'just now'],
    [42, '42 s ago'],
    [61, '1 min ago'],
    [3600, '1 h ago'],
    [3660, '1 h 1 min ago'],
    [47 * 3600, '47 h ago'],
    [49 * 3600, '2 d 1 h ago'],
    [3 * 86400, '3 d ago'],
  ])('%s s → %s', (s, text) => {
    expect(formatAge(s)).toBe(text)
  })
})

describe('sourceLabel', () => {
  it('names who set a price', () => {
    expect(sourceLabel('manual')).toBe('by hand')
    expect(sourceLabel('feed:binance')).toBe('feed · Binance')
    expect(sourceLabel('csv:btc.csv')).toBe('file · btc.csv')
    expect(sourceLabel(null)).toBe('—')
  })
})
