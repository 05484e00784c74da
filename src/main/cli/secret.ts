import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'
import { openSecrets } from '../secrets/index.ts'
import { userDataDir } from './user-data.ts'

export const secretUsage = `vigil secret set NAME [--dir DIR]
vigil secret list [--dir DIR]
vigil secret delete NAME [--dir DIR]

  Credentials Vigil needs (OPC UA and MQTT passwords, API keys), sealed with AES-256-GCM in
  DIR/secrets.json under the key DIR/secret.key (created 0600 on first use). The value is
  read from standard input, never from the command line, where other users could see it in
  the process list. DIR defaults to ${userDataDir()}.`

/** One line from standard input, not echoed on a terminal. */
async function readValue(name: string): Promise<string> {
  const tty = process.stdin.isTTY === true
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: tty })
  if (tty) {
    process.stderr.write(`value of ${name}: `)
    ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
  }
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve)
    rl.once('close', () => resolve(''))
  })
  rl.close()
  if (tty) process.stderr.write('\n')
  return line
}

export async function secret(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string' } },
    strict: true,
  })
  const [action, name] = positionals
  const store = openSecrets(values.dir ?? userDataDir())
  if (action === 'list') {
    for (const n of store.names()) console.log(n)
    return
  }
  if (!name || (action !== 'set' && action !== 'delete'))
    throw new VigilError('bad-request', `expected "set NAME", "list" or "delete NAME"\n\n${secretUsage}`)
  if (action === 'delete') {
    if (!store.delete(name)) throw new VigilError('not-found', `secret "${name}" is not in ${store.file}`)
    console.log(`deleted secret "${name}" from ${store.file}`)
    return
  }
  store.set(name, await readValue(name))
  console.log(`stored secret "${name}" in ${store.file}`)
}
