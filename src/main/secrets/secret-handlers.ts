import type { Req } from '../../shared/contract.ts'
import type { SecretStore } from './secret-store.ts'

/** The engine's handlers for secrets.list, secrets.set and secrets.delete, on the engine's own store. */
export function secretHandlers(store: () => SecretStore) {
  return {
    'secrets.list': async () => {
      const s = store()
      return { names: s.names(), scheme: s.scheme }
    },
    'secrets.set': async ({ name, secret }: Req<'secrets.set'>) => {
      store().set(name, secret)
      return { name }
    },
    'secrets.delete': async ({ name }: Req<'secrets.delete'>) => ({ deleted: store().delete(name) }),
  }
}
