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

/**
 * Wrong passwords in a row that lock an account until an admin unlocks it. The headless
 * server's per-address limiter stops one machine guessing fast; this stops guessing at one
 * account from many addresses (or slowly), which the limiter cannot see.
 */
export const LOCK_AFTER = 5

const view = (u: UserRow): UserView => ({
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
  disabled: u.disabled,
  locked: u.lockedAt !== null,
  lockedAt: u.lockedAt,
  failedSignIns: u.failedSignIns,
})

/** How a sign-in attempt ended; `lockedNow` marks the attempt that locked the account. */
export type SignInOutcome =
  | { ok: true; user: UserRow }
  | { ok: false; why: 'unknown' | 'wrong' | 'disabled' | 'locked'; lockedNow?: boolean; failures?: number }

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
    const row: UserRow = {
      name,
      role,
      ...(await hashPassword(password)),
      createdAt: now,
      disabled: false,
      failedSignIns: 0,
      lockedAt: null,
    }
    this.users.set(name.toLowerCase(), row)
    this.save(row)
    return view(row)
  }

  async update(
    name: string,
    change: { role?: Role; password?: string; disabled?: boolean; unlock?: boolean },
  ): Promise<UserView> {
    const old = this.users.get(name.toLowerCase())
    if (!old) throw new VigilError('not-found', `users.update: no user "${name}"`)
    const row: UserRow = { ...old, ...(change.role ? { role: change.role } : {}) }
    if (change.disabled !== undefined) row.disabled = change.disabled
    if (change.password !== undefined) Object.assign(row, await hashPassword(change.password))
    if (change.unlock) Object.assign(row, { lockedAt: null, failedSignIns: 0 })
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

  /**
   * Checks a password. A wrong one for a known account counts towards LOCK_AFTER; a right
   * one resets the count. A locked account is refused even with the right password, so a
   * guess that happens to be right after the lock tells the guesser nothing.
   */
  async signIn(name: string, password: string, now: number): Promise<SignInOutcome> {
    const u = this.users.get(name.toLowerCase())
    if (!u) {
      this.decoy ??= hashPassword(randomBytes(12).toString('base64'))
      await verifyPassword(password, await this.decoy)
      return { ok: false, why: 'unknown' }
    }
    const right = await verifyPassword(password, u)
    // Re-read after the await: another attempt may have changed the row meanwhile.
    const row = this.users.get(name.toLowerCase())!
    if (row.lockedAt !== null) return { ok: false, why: 'locked' }
    if (right) {
      if (row.disabled) return { ok: false, why: 'disabled' }
      if (row.failedSignIns) this.put({ ...row, failedSignIns: 0 })
      return { ok: true, user: row }
    }
    const failures = row.failedSignIns + 1
    const lockedNow = failures >= LOCK_AFTER
    this.put({ ...row, failedSignIns: failures, lockedAt: lockedNow ? now : null })
    return { ok: false, why: 'wrong', lockedNow, failures }
  }

  /** The user if the password is right and the account enabled and not locked, else null. */
  async verify(name: string, password: string, now = Date.now()): Promise<UserRow | null> {
    const r = await this.signIn(name, password, now)
    return r.ok ? r.user : null
  }

  private put(row: UserRow): void {
    this.users.set(row.name.toLowerCase(), row)
    this.save(row)
  }

  get(name: string): UserRow | undefined {
    return this.users.get(name.toLowerCase())
  }
}
