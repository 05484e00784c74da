import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IngestKeys } from './ingest-keys.ts'
import { KeyLimiter } from './key-limiter.ts'

let dir = ''
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-keys-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('ingest keys', () => {
  it('makes one key per device, finds the device by its key, and keeps the key sealed on disk', () => {
    const keys = new IngestKeys(dir)
    const { key, info } = keys.add('gw-1', 'PUMP-7', 5)
    expect(key).toMatch(/^vgk_[A-Za-z0-9_-]{43}$/)
    expect(info).toMatchObject({ device: 'gw-1', asset: 'PUMP-7', ratePerS: 5 })
    // Another process (the running server) sees it.
    expect(new IngestKeys(dir).lookup(key)).toMatchObject({ device: 'gw-1', asset: 'PUMP-7' })
    expect(new IngestKeys(dir).lookup(`${key}x`)).toBeNull()
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'latin1')).not.toContain(key)
    expect(() => keys.add('gw-1', 'PUMP-7')).toThrow(/device gw-1 has a key already/)
    expect(() => keys.add('../x', 'PUMP-7')).toThrow(/device "\.\.\/x" must start/)
  })

  it('lists devices without their keys and deletes one so its key stops working', () => {
    const keys = new IngestKeys(dir)
    const { key } = keys.add('b-dev', 'A')
    keys.add('a-dev', 'B', 2)
    expect(keys.list().map((k) => [k.device, k.asset, k.ratePerS])).toEqual([
      ['a-dev', 'B', 2],
      ['b-dev', 'A', 10],
    ])
    expect(JSON.stringify(keys.list())).not.toContain('vgk_')
    expect(keys.delete('b-dev')).toBe(true)
    expect(keys.delete('b-dev')).toBe(false)
    expect(keys.lookup(key)).toBeNull()
  })
})

describe('key limiter', () => {
  it('lets a device burst to twice its rate, then says how many seconds to wait', () => {
    let now = 0
    const l = new KeyLimiter(() => now)
    for (let i = 0; i < 4; i++) expect(l.take('gw', 2)).toBe(0)
    expect(l.take('gw', 2)).toBe(1)
    expect(l.take('other', 2)).toBe(0) // each device has its own bucket
    now += 500
    expect(l.take('gw', 2)).toBe(0)
    expect(l.take('slow', 0.1)).toBe(0)
    expect(l.take('slow', 0.1)).toBe(0)
    expect(l.take('slow', 0.1)).toBe(10)
  })
})
