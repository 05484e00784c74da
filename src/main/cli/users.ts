import { userInfo } from 'node:os'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { Roles, type Role } from '../../shared/alarms.ts'
import { VigilError } from '../../shared/errors.ts'
import { Accounts } from '../alarms/accounts.ts'
import { openStore } from '../store/store.ts'
import { defaultDbPath } from './user-data.ts'

export const usersUsage = `vigil users list [--db FILE]
vigil users add NAME --role ROLE [--db FILE]
vigil users set NAME [--role ROLE] [--password] [--disable | --enable] [--unlock] [--db FILE]

  Local user accounts, for the headless mode and first set-up; the app's sign-in uses them.
  Roles: ${Roles.join(', ')}. The first account must be an admin; until one exists Vigil runs
  open (everyone acts as the local user). The password is read from VIGIL_PASSWORD, or asked
  for. Run it while Vigil is stopped on that database: a running Vigil reads accounts at start.
  Every change is written to the audit trail as done by cli:<your login>.`

/** Reads a password without echoing it on a terminal, or one line of piped input. */
async function askPassword(): Promise<string> {
  const env = process.env.VIGIL_PASSWORD
  if (env) return env
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY })
  const muted = rl as unknown as { _writeToOutput: (s: string) => void }
  if (process.stdin.isTTY) {
    process.stdout.write('password: ')
    muted._writeToOutput = () => {}
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve))
  rl.close()
  if (process.stdin.isTTY) process.stdout.write('\n')
  if (line.length < 8) throw new VigilError('bad-request', 'the password must be at least 8 characters')
  return line
}

const roleOf = (r: string | undefined): Role | undefined => {
  if (r === undefined) return undefined
  if (!(Roles as readonly string[]).includes(r))
    throw new VigilError('bad-request', `--role: "${r}" is not one of ${Roles.join(', ')}`)
  return r as Role
}

export async function users(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'boolean' },
      disable: { type: 'boolean' },
      enable: { type: 'boolean' },
      unlock: { type: 'boolean' },
    },
  })
  const [action, name] = positionals
  if (action !== 'list' && action !== 'add' && action !== 'set')
    throw new VigilError('bad-request', `expected list, add or set; got ${JSON.stringify(action ?? '')}`)
  if (action !== 'list' && !name) throw new VigilError('bad-request', `users ${action}: name the user`)
  const store = await openStore({ path: values.db ?? defaultDbPath(), assets: [] })
  try {
    const accounts = new Accounts(store.records.userRows(), (row) =>
      store.writeRecords([{ op: 'user', row }]),
    )
    const audit = (what: string, detail: string) =>
      store.writeRecords([
        {
          op: 'audit',
          row: {
            t: Date.now(),
            actor: `cli:${userInfo().username}`,
            role: 'admin',
            action: what,
            target: name!,
            outcome: 'ok',
            detail,
          },
        },
      ])
    if (action === 'list') {
      for (const u of accounts.list())
        console.log(`${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}${u.locked ? '\tlocked' : ''}`)
      if (accounts.open) console.log('(no accounts: Vigil runs open)')
      return
    }
    if (action === 'add') {
      const role = roleOf(values.role)
      if (!role) throw new VigilError('bad-request', 'users add: --role is required')
      const u = await accounts.create(name!, role, await askPassword(), Date.now())
      audit('users.create', JSON.stringify({ name: u.name, role: u.role }))
      console.log(`added ${u.name} (${u.role})`)
    } else {
      if (values.disable && values.enable)
        throw new VigilError('bad-request', '--disable and --enable exclude each other')
      const change = {
        role: roleOf(values.role),
        password: values.password ? await askPassword() : undefined,
        disabled: values.disable ? true : values.enable ? false : undefined,
        unlock: values.unlock ? true : undefined,
      }
      const u = await accounts.update(name!, change)
      audit('users.update', JSON.stringify({ ...change, password: change.password ? '***' : undefined }))
      console.log(`updated ${u.name} (${u.role}${u.disabled ? ', disabled' : ''})`)
    }
    await store.flush()
  } finally {
    await store.close()
  }
}
