import { afterEach, beforeEach } from 'vitest'
import type { AssetConfig } from '../../shared/plant.ts'
import { openStore, type Store } from './store.ts'
import { tempDir } from './test-plant.ts'

/**
 * A fresh history file per test and the stores opened on it, closed and removed after each
 * test. `fx.path` is the file, `fx.tmp` its folder; `fx.open()` opens a store on it.
 */
export function storeFileFixture(assets: AssetConfig[]): {
  readonly path: string
  readonly tmp: ReturnType<typeof tempDir>
  open(): Promise<Store>
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
    async open() {
      const s = await openStore({ path, assets })
      opened.push(s)
      return s
    },
  }
}
