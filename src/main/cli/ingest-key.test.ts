import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { IngestKeys } from '../ingest/ingest-keys.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-key-cli-'))
const cli = new URL('./vigil.ts', import.meta.url).pathname
const run = (args: string[]) =>
  spawnSync(process.execPath, [cli, 'ingest-key', ...args, '--dir', dir], {
    encoding: 'utf8',
    timeout: 20_000,
  })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('vigil ingest-key', () => {
  it('adds a device key printed once, lists devices without keys, and deletes one', () => {
    const add = run(['add', 'gw-1', '--asset', 'PUMP-7', '--rate', '5'])
    expect(add.status, add.stderr).toBe(0)
    const key = add.stdout.trim().split('\n').at(-1)!
    expect(key).toMatch(/^vgk_/)
    expect(new IngestKeys(dir).lookup(key)).toMatchObject({ device: 'gw-1', asset: 'PUMP-7', ratePerS: 5 })
    const list = run(['list'])
    expect(list.stdout).toMatch(/^gw-1\tasset PUMP-7\t5\/s\tcreated /)
    expect(list.stdout).not.toContain(key)
    expect(run(['delete', 'gw-1']).status).toBe(0)
    expect(new IngestKeys(dir).lookup(key)).toBeNull()
  })

  it('says what is missing and exits non-zero', () => {
    const noAsset = run(['add', 'gw-2'])
    expect(noAsset.status).toBe(1)
    expect(noAsset.stderr).toMatch(/vigil ingest-key: add gw-2: --asset ID names the asset it writes/)
    expect(run(['delete', 'nope']).stderr).toMatch(/device "nope" has no ingest key/)
  })
})
