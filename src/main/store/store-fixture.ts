import { afterEach, beforeEach } from 'vitest'
import type { AssetConfig } from '../../shared/plant.ts'
import { openStore, type Store, type StoreOptions } from './store.ts'
import { tempDir } from './test-plant.ts'

/**
 * A fresh history file per test and the stores opened on it, closed and removed after each
 * test. `fx.path` is the file, `fx.tmp` its folder; `fx.open()` opens a store on it (with the
 * store's other options, if given).
 */
export function storeFileFixture(assets: AssetConfig[]): {
  readonly path: string
  readonly tmp: ReturnType<typeof tempDir>
  open(opts?: Omit<StoreOptions, 'path' | 'assets'>): Promise<Store>
} {
  let tmp: ReturnType<typeof tempDir>
  let path = ''
  const opened: Store[] = []
  beforeEach(() => {
    tmp = tempDir()
    path = tmp.file('history.db')
  })
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {})
    tmp.remove()
  })
  return {
    get path() {
      return path
    },
    get tmp() {
      return tmp
    },
    async open(opts = {}) {
      const s = await openStore({ ...opts, path, assets })
      opened.push(s)
      return s
    },
  }
}
