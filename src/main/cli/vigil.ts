import { VigilError } from '../../shared/errors.ts'
import { exportCommand, exportUsage } from './export.ts'
import { fit, fitUsage } from './fit.ts'
import { importCommand, importUsage } from './import.ts'
import { opcuaSim, opcuaSimUsage } from './opcua-sim.ts'
import { opcuaTrust, opcuaTrustUsage } from './opcua-trust.ts'
import { score, scoreUsage } from './score.ts'
import { secret, secretUsage } from './secret.ts'
import { ingestKey, ingestKeyUsage } from './ingest-key.ts'
import { serve, serveUsage } from './serve.ts'
import { users, usersUsage } from './users.ts'

const verbs: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  serve: { run: serve, usage: serveUsage },
  score: { run: score, usage: scoreUsage },
  fit: { run: fit, usage: fitUsage },
  export: { run: exportCommand, usage: exportUsage },
  import: { run: importCommand, usage: importUsage },
  users: { run: users, usage: usersUsage },
  secret: { run: secret, usage: secretUsage },
  'opcua-sim': { run: opcuaSim, usage: opcuaSimUsage },
  'opcua-trust': { run: opcuaTrust, usage: opcuaTrustUsage },
  'ingest-key': { run: ingestKey, usage: ingestKeyUsage },
}

const usage = `usage: vigil <command> [options]

${Object.values(verbs)
  .map((v) => v.usage)
  .join('\n\n')}`

/** The `vigil` command. Errors print one line a person can act on and exit non-zero. */
export async function main(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(usage)
    return
  }
  const v = verbs[verb]
  if (!v) {
    console.error(`vigil: unknown command "${verb}"\n\n${usage}`)
    process.exitCode = 2
    return
  }
  if (rest.includes('--help') || rest.includes('-h')) return void console.log(v.usage)
  try {
    await v.run(rest)
  } catch (e) {
    const msg = e instanceof VigilError || e instanceof Error ? e.message : String(e)
    console.error(`vigil ${verb}: ${msg}`)
    process.exit(e instanceof TypeError && /Unknown option|Option/.test(msg) ? 2 : 1)
  }
}

// Runs when this file is the entry (from source, or bundled as out/main/cli.js).
const entry = process.argv[1] ?? ''
if (/(?:vigil\.ts|cli\.js)$/.test(entry)) void main(process.argv.slice(2))
