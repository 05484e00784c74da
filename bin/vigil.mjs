#!/usr/bin/env node
// The `vigil` command. From a checkout it runs the TypeScript sources directly (Node 22
// strips types); from a built tree it runs out/main/cli.js.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { restartLean } from './lean-start.mjs'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `vigil needs Node 22.18 or newer (this is ${process.version}); run \`npm run setup\` and use \`npm run vigil -- ...\``,
  )
  process.exit(1)
}
// `vigil serve` runs for days: it starts itself once more with lean memory settings (see lean-start.mjs).
if (process.argv[2] === 'serve') restartLean()
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src/main/cli/vigil.ts')
const built = join(root, 'out/main/cli.js')
const { main } = await import(pathToFileURL(existsSync(src) ? src : built).href)
await main(process.argv.slice(2))
