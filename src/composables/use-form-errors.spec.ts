import { describe, expect, it } from 'vitest'
import { ApiCallError } from '@/api'
import { useFormErrors } from './use-form-errors'

const fieldOf = (path: string): string => (path === 'quantity' ? 'size' : path.replace(/^instrument\./, ''))

describe('useFormErrors', () => {
  it('puts local schema issues on their fields, first message per field', () => {
    const f = useFormErrors(fieldOf)
    expect(
      f.fromZod([
        { path: ['quantity'], message: 'must not be zero' },
        { path: ['instrument', 'strike'], message: 'is required' },
        { path: ['quantity'], message: 'second message' },
      ]),
    ).toEqual({ size: 'must not be zero', strike: 'is required' })
  })

  it('puts a backend rejection on the same fields and keeps its message', async () => {
    const f = useFormErrors(fieldOf)
    const rejected = new ApiCallError('positionSave', {
      code: 'invalid_input',
      message: 'The position is not valid',
      issues: [{ path: 'position.instrument.strike', message: 'must be greater than 0' }],
    })
    const result = await f.save('position', () => Promise.reject(rejected))
    expect(result).toBeUndefined()
    expect(f.errors.value).toEqual({ strike: 'must be greater than 0' })
    expect(f.formError.value).toBe('The position is not valid')
    expect(f.saving.value).toBe(false)
    expect(await f.save('position', async () => 'saved')).toBe('saved')
  })
})
