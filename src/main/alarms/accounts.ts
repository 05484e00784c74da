import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { Role, UserView } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import type { UserRow } from '../store/record-types.ts'

/*
 * Local user accounts. Passwords are hashed with scrypt (N=2^15, r=8, p=1: 32 MiB and about
 * 0.2 s per attempt on the 2-core build machine, which also paces password guessing); the
 * parameters are kept with each hash so they can be raised later without invalidating old ones.
 */
const PARAMS = { N: 1 << 15, r: 8, p: 1, keylen: 32 }
const MAXMEM = 64 * 1024 * 1024

function derive(password: string, salt: Buffer, p: typeof PARAMS): Promise<Buffer> {
  const opts: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: MAXMEM }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, p.keylen, opts, (e, key) => (e ? reject(e) : resolve(key))),
  )
}

export async function hashPassword(password: string): Promise<Pick<UserRow, 'salt' | 'hash' | 'params'>> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return { salt: salt.toString('base64'), hash: key.toString('base64'), params: JSON.stringify(PARAMS) }
}

export async function verifyPassword(
  password: string,
  u: Pick<UserRow, 'salt' | 'hash' | 'params'>,
): Promise<boolean> {
  const want = Buffer.from(u.hash, 'base64')
  const got = await derive(password, Buffer.from(u.salt, 'base64'), JSON.parse(u.params) as typeof PARAMS)
  return got.length === want.length && timingSafeEqual(got, want)
}

const view = (u: UserRow): UserView => ({
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
  disabled: u.disabled,
})

/** The accounts, kept in memory (a handful) and written through to the store by `save`. */
export class Accounts {
  private readonly users = new Map<string, UserRow>()
  private readonly save: (row: UserRow) => void
  /** Stands in for a missing user so an unknown name costs the same time as a wrong password. */
  private decoy: Promise<Pick<UserRow, 'salt' | 'hash' | 'params'>> | null = null

  constructor(rows: UserRow[], save: (row: UserRow) => void) {
    for (const r of rows) this.users.set(r.name.toLowerCase(), r)
    this.save = save
  }

  /** No account exists yet: the workstation runs open, as a single user. */
  get open(): boolean {
    return this.users.size === 0
  }

  list(): UserView[] {
    return [...this.users.values()].map(view)
  }

  async create(name: string, role: Role, password: string, now: number): Promise<UserView> {
    if (this.users.has(name.toLowerCase()))
      throw new VigilError('bad-request', `users.create: a user "${name}" already exists`)
    if (this.open && role !== 'admin')
      throw new VigilError(
        'bad-request',
        'users.create: the first account must be an admin, or nobody could manage users',
      )
    const row: UserRow = { name, role, ...(await hashPassword(password)), createdAt: now, disabled: false }
    this.users.set(name.toLowerCase(), row)
    this.save(row)
    return view(row)
  }

  async update(
    name: string,
    change: { role?: Role; password?: string; disabled?: boolean },
  ): Promise<UserView> {
    const old = this.users.get(name.toLowerCase())
    if (!old) throw new VigilError('not-found', `users.update: no user "${name}"`)
    const row: UserRow = { ...old, ...(change.role ? { role: change.role } : {}) }
    if (change.disabled !== undefined) row.disabled = change.disabled
    if (change.password !== undefined) Object.assign(row, await hashPassword(change.password))
    const admins = [...this.users.values()].filter(
      (u) => u.name !== old.name && u.role === 'admin' && !u.disabled,
    )
    if (admins.length === 0 && (row.role !== 'admin' || row.disabled))
      throw new VigilError(
        'bad-request',
        `users.update: "${name}" is the last admin; make another admin first`,
      )
    this.users.set(name.toLowerCase(), row)
    this.save(row)
    return view(row)
  }

  /** The user if the password is right and the account enabled, else null. */
  async verify(name: string, password: string): Promise<UserRow | null> {
    const u = this.users.get(name.toLowerCase())
    if (!u) {
      this.decoy ??= hashPassword(randomBytes(12).toString('base64'))
      await verifyPassword(password, await this.decoy)
      return null
    }
    return (await verifyPassword(password, u)) && !u.disabled ? u : null
  }

  get(name: string): UserRow | undefined {
    return this.users.get(name.toLowerCase())
  }
}
