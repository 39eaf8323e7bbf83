/**
 * The seam between the wizard and the backend: a file goes up in ordered base64 chunks of the size the
 * backend asks for, the bytes arrive intact, and an upload that fails half-way is discarded.
 */
import { createPinia, setActivePinia } from 'pinia'
import { effectScope } from 'vue'
import { beforeEach, describe, expect, it } from 'vitest'
import { setApiForTests } from '@/api'
import type { FulcrumApi, Result } from '@shared/api-contract'
import { useLedger } from './use-ledger'

interface Calls {
  chunks: { offset: number; bytes: Uint8Array }[]
  discarded: string[]
}

function fakeApi(chunkBytes: number, failAt?: number): { api: FulcrumApi; calls: Calls } {
  const calls: Calls = { chunks: [], discarded: [] }
  const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value })
  const api = {
    onEvent: () => () => undefined,
    ledgerUploadBegin: () => ok({ uploadId: 'u-0001', chunkBytes }),
    ledgerUploadChunk: (input: { offset: number; data: string }) => {
      if (failAt !== undefined && input.offset >= failAt) {
        return Promise.resolve({ ok: false, error: { code: 'internal', message: 'disk full' } })
      }
      const bytes = Uint8Array.from(atob(input.data), (c) => c.charCodeAt(0))
      calls.chunks.push({ offset: input.offset, bytes })
      return ok({ received: input.offset + bytes.length })
    },
    ledgerUploadDiscard: (input: { uploadId: string }) => {
      calls.discarded.push(input.uploadId)
      return ok({ discarded: true })
    },
  } as unknown as FulcrumApi
  return { api, calls }
}

const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) % 256)
const file = new File([bytes], 'trades.csv')

beforeEach(() => setActivePinia(createPinia()))

describe('useLedger().upload', () => {
  it('sends the file in order, in chunks of the size the backend asks for, bytes intact', async () => {
    const { api, calls } = fakeApi(256)
    setApiForTests(api)
    const scope = effectScope()
    const ledger = scope.run(() => useLedger())!
    expect(await ledger.upload(file)).toBe('u-0001')
    expect(calls.chunks.map((c) => [c.offset, c.bytes.length])).toEqual([[0, 256], [256, 256], [512, 256], [768, 232]])
    const joined = new Uint8Array(calls.chunks.flatMap((c) => [...c.bytes]))
    expect(joined).toEqual(bytes)
    expect(calls.discarded).toEqual([])
    scope.stop()
  })

  it('discards the upload when a chunk is refused', async () => {
    const { api, calls } = fakeApi(256, 512)
    setApiForTests(api)
    const scope = effectScope()
    const ledger = scope.run(() => useLedger())!
    await expect(ledger.upload(file)).rejects.toThrow('disk full')
    expect(calls.discarded).toEqual(['u-0001'])
    scope.stop()
  })

  it('stops and discards when cancelled', async () => {
    const { api, calls } = fakeApi(256)
    setApiForTests(api)
    const scope = effectScope()
    const ledger = scope.run(() => useLedger())!
    const abort = new AbortController()
    abort.abort()
    await expect(ledger.upload(file, abort.signal)).rejects.toThrow('Upload cancelled')
    expect(calls.chunks).toEqual([])
    expect(calls.discarded).toEqual(['u-0001'])
    scope.stop()
  })
})
