// `npm start`: build if the bundles are stale, then open the desktop app, or, where Electron's
// binary cannot be had (build machines without download access, no display), the headless
// server with the same UI in a browser. Plain JS so it runs before anything is built.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
/** What electron.vite.config.ts emits; package.json's main is the first. */
export const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json']
const DOWNLOAD_TIMEOUT_MS = 60_000

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : st.mtimeMs
  let newest = 0
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

/** True when a bundle is missing or any source (tests aside) changed after the oldest bundle. */
export function needsBuild(root) {
  const outs = OUTPUTS.map((p) => join(root, p))
  if (outs.some((p) => !existsSync(p))) return true
  const oldestOut = Math.min(...outs.map((p) => statSync(p).mtimeMs))
  return Math.max(...INPUTS.map((p) => newestMtime(join(root, p)))) > oldestOut
}

/**
 * The Electron executable if it is installed, else null. Reads what node_modules/electron's
 * own index.js reads, without requiring it: requiring it starts a download.
 */
export function electronBinary(root) {
  const pkg = join(root, 'node_modules', 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(exe) ? exe : null
}

/** Linux without X or Wayland cannot show a window; other systems always have a desktop. */
export function hasDisplay(env = process.env, platform = process.platform) {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/** Runs a child in this terminal, forwards Ctrl-C and termination to it, exits with its code. */
function run(cmd, args, env = process.env) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env })
  const forward = (sig) => () => child.kill(sig)
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, forward(sig))
  child.on('error', (e) => {
    console.error(`start: cannot run ${cmd}: ${e.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

function build() {
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

function tryDownload() {
  console.log(
    `start: Electron's binary is not installed; fetching it (up to ${DOWNLOAD_TIMEOUT_MS / 1000} s)...`,
  )
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron', 'install.js')], {
    cwd: ROOT,
    stdio: 'ignore',
    timeout: DOWNLOAD_TIMEOUT_MS,
  })
  return electronBinary(ROOT)
}

function headless(why, args) {
  console.log(`${why}; starting the headless server instead — open the URL below in a browser.`)
  const cli = join(ROOT, 'bin', 'vigil.mjs')
  if (!existsSync(cli)) {
    console.error(`start: ${cli} is missing, so the headless server cannot start either.`)
    process.exit(1)
  }
  run(process.execPath, [cli, 'serve', ...(args.length ? args : ['--demo'])])
}

function main() {
  // Arguments after `npm start --` go to the app: --config plant.json, --db file.db.
  const args = process.argv.slice(2)
  if (needsBuild(ROOT)) build()
  if (!hasDisplay())
    return headless('No display is available (neither DISPLAY nor WAYLAND_DISPLAY is set)', args)
  const exe = electronBinary(ROOT) ?? tryDownload()
  if (exe === null) {
    return headless("Electron's binary is not available on this machine (no download access)", args)
  }
  // Set in the environment, this would make Electron a plain Node and the app would not open.
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  run(exe, ['.', ...args], env)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
