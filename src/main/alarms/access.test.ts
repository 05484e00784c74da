import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Principal } from '../../shared/alarm-channels.ts'
import type { AuditEntry } from '../../shared/alarms.ts'
import { AlarmRig } from './test-kit.ts'

const HH = 'P-101/Bearing_Temperature_C/HH'
let rig: AlarmRig

beforeEach(async () => {
  rig = await new AlarmRig().open()
})
afterEach(async () => {
  await rig.close()
  rig.remove()
})

/** An admin (who set up the console), an operator and an engineer, each on their own connection. */
async function staff() {
  const first = await rig.call<{ token?: string }>(
    'users.create',
    { name: 'anita', role: 'admin', password: 'admin-pass-1' },
    'ws:1',
  )
  expect(first.token).toBeTruthy()
  await rig.call('users.create', { name: 'olga', role: 'operator', password: 'operator-pass' }, 'ws:1')
  await rig.call('users.create', { name: 'enzo', role: 'engineer', password: 'engineer-pass' }, 'ws:1')
}

describe('roles at the contract boundary', () => {
  it('runs open, as the local user with every permission, until the first account exists', async () => {
    const me = await rig.call<Principal>('auth.whoami', {}, 'ws:1')
    expect([me.open, me.user, me.role]).toEqual([true, 'local', 'local'])
    const r = await rig.dispatch('users.create', {
      name: 'olga',
      role: 'operator',
      password: 'operator-pass',
    })
    expect(!r.ok && r.error.message).toMatch(/the first account must be an admin/)
  })

  it('refuses an operator shelving, and nobody signed in acknowledging, with forbidden', async () => {
    await staff()
    rig.feed(10, (tag) => (tag === 'Bearing_Temperature_C' ? 90 : undefined))
    const anon = await rig.dispatch('alarms.ack', { ids: [HH] }, 'ws:2')
    expect(!anon.ok && anon.error).toEqual({
      code: 'forbidden',
      message:
        'alarms.ack: nobody signed in may not do this; it needs a user with the role operator or engineer',
    })
    // Viewing needs no sign-in: a wall display shows the alarm list.
    expect((await rig.dispatch('alarms.list', {}, 'ws:2')).ok).toBe(true)

    const olga = await rig.call<Principal>('auth.signIn', { user: 'olga', password: 'operator-pass' }, 'ws:2')
    expect([olga.user, olga.role, olga.permissions]).toEqual([
      'olga',
      'operator',
      ['view', 'alarm.ack', 'advice.decide'],
    ])
    const shelve = await rig.dispatch('alarms.shelve', { id: HH, reason: 'nuisance', minutes: 30 }, 'ws:2')
    expect(!shelve.ok && shelve.error.code).toBe('forbidden')
    expect(!shelve.ok && shelve.error.message).toMatch(
      /"olga" \(operator\) may not do this; it needs a user with the role engineer/,
    )
    await rig.call('alarms.ack', { ids: [HH] }, 'ws:2')
    expect(rig.system.set.view(rig.system.set.byId.get(HH)!).lastAck?.by).toBe('olga')

    await rig.call('auth.signIn', { user: 'enzo', password: 'engineer-pass' }, 'ws:3')
    await rig.call('alarms.shelve', { id: HH, reason: 'nuisance', minutes: 30 }, 'ws:3')
    expect(rig.state(HH)).toBe('shelved')
  })

  it('refuses a wrong password without saying which part was wrong, and a disabled account', async () => {
    await staff()
    const wrong = await rig.dispatch('auth.signIn', { user: 'olga', password: 'guess' }, 'ws:2')
    const nobody = await rig.dispatch('auth.signIn', { user: 'ghost', password: 'guess' }, 'ws:2')
    expect(!wrong.ok && wrong.error).toEqual(!nobody.ok && nobody.error)
    expect(!wrong.ok && wrong.error.code).toBe('unauthorized')
    await rig.call('auth.signIn', { user: 'olga', password: 'operator-pass' }, 'ws:2')
    await rig.call('users.update', { name: 'olga', disabled: true }, 'ws:1')
    // Disabling ends her live session too.
    expect((await rig.call<Principal>('auth.whoami', {}, 'ws:2')).user).toBe(null)
    const again = await rig.dispatch('auth.signIn', { user: 'olga', password: 'operator-pass' }, 'ws:2')
    expect(!again.ok && again.error.code).toBe('unauthorized')
  })

  it('resumes a session on a new connection with its token, and not after sign-out', async () => {
    await staff()
    const { token } = await rig.call<{ token: string }>(
      'auth.signIn',
      { user: 'enzo', password: 'engineer-pass' },
      'ws:2',
    )
    rig.system.detach('ws:2')
    expect((await rig.call<Principal>('auth.resume', { token }, 'ws:7')).user).toBe('enzo')
    await rig.call('auth.signOut', {}, 'ws:7')
    const r = await rig.dispatch('auth.resume', { token }, 'ws:8')
    expect(!r.ok && r.error.code).toBe('unauthorized')
  })

  it('keeps the last admin from being demoted or disabled', async () => {
    await staff()
    const r = await rig.dispatch('users.update', { name: 'anita', role: 'operator' }, 'ws:1')
    expect(!r.ok && r.error.message).toMatch(/"anita" is the last admin/)
  })

  it('stores passwords only as scrypt hashes', async () => {
    await staff()
    await rig.store.flush()
    const db = new Database(join(rig.dir, 'vigil.db'), { readonly: true })
    const rows = db.prepare('SELECT name, hash, params FROM users').all() as {
      name: string
      hash: string
      params: string
    }[]
    db.close()
    expect(rows).toHaveLength(3)
    for (const r of rows) {
      expect(JSON.parse(r.params)).toMatchObject({ N: 32768, r: 8, p: 1 })
      expect(Buffer.from(r.hash, 'base64')).toHaveLength(32)
      expect(r.hash).not.toContain('pass')
    }
  })
})

describe('the audit trail', () => {
  it('records who did what, denied attempts and sign-ins included, without secrets, and exports it', async () => {
    await staff()
    rig.feed(10, (tag) => (tag === 'Bearing_Temperature_C' ? 90 : undefined))
    await rig.dispatch('alarms.ack', { ids: [HH] }, 'ws:2')
    await rig.dispatch('auth.signIn', { user: 'olga', password: 'nope' }, 'ws:2')
    await rig.call('auth.signIn', { user: 'olga', password: 'operator-pass' }, 'ws:2')
    await rig.call('alarms.ack', { ids: [HH], note: 'seen' }, 'ws:2')
    await rig.call('alarms.list', {}, 'ws:2')

    const dump = (await rig.call<{ entries: AuditEntry[] }>('audit.list', {}, 'ws:1')).entries.reverse()
    expect(dump.map((a) => [a.actor, a.role, a.action, a.outcome])).toEqual([
      ['local', 'local', 'users.create', 'ok'],
      ['anita', 'admin', 'users.create', 'ok'],
      ['anita', 'admin', 'users.create', 'ok'],
      ['anonymous', 'anonymous', 'alarms.ack', 'denied'],
      ['anonymous', 'anonymous', 'auth.signIn', 'failed'],
      ['olga', 'operator', 'auth.signIn', 'ok'],
      ['olga', 'operator', 'alarms.ack', 'ok'],
    ])
    expect(dump[6]!.target).toBe(HH)
    expect(dump.map((a) => a.detail).join(' ')).not.toMatch(/admin-pass|operator-pass|nope/)
    expect(dump[0]!.detail).toContain('"password":"***"')
    const denied = await rig.dispatch('audit.list', {}, 'ws:2')
    expect(!denied.ok && denied.error.code).toBe('forbidden')

    const { filename, csv } = await rig.call<{ filename: string; csv: string }>('audit.export', {}, 'ws:1')
    expect(filename).toMatch(/^vigil-audit-\d{8}-\d{4}\.csv$/)
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toBe('id,time,actor,role,action,target,outcome,detail')
    // Reading the audit is audited too: anita's audit.list and olga's denied one.
    expect(lines).toHaveLength(1 + dump.length + 2)
    expect(lines[lines.length - 1]).toMatch(/,olga,operator,audit\.list,,denied,/)
  })

  it('cannot be edited or deleted, not even with a writable connection to the file', async () => {
    await staff()
    await rig.store.flush()
    const db = new Database(join(rig.dir, 'vigil.db'))
    expect(() => db.prepare("UPDATE audit_log SET actor = 'mallory'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM alarm_journal').run()).not.toThrow() // empty: nothing to refuse
    db.close()
  })
})
