// `npm test`: every check a change must pass, in the order that fails fastest.
// Runs under Node 22 (npm puts node_modules/.bin, holding node@22, first on PATH).
import { spawnSync } from 'node:child_process'

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']],
  [
    'tests',
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=./scripts/summary-reporter.ts',
      ...process.argv.slice(2),
    ],
  ],
]

const [major] = process.versions.node.split('.').map(Number)
if (major < 22) {
  console.error(`npm test needs Node 22 (found ${process.version}): run \`npm run setup\` first.`)
  process.exit(1)
}
for (const [name, cmd, args] of steps) {
  const started = Date.now()
  console.log(`\n== ${name}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  const s = ((Date.now() - started) / 1000).toFixed(1)
  if (r.status !== 0) {
    console.error(`\n== ${name} failed after ${s}s`)
    process.exit(r.status ?? 1)
  }
  console.log(`== ${name} ok (${s}s)`)
}
