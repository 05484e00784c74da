import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  MessageChannelMain,
  protocol,
  safeStorage,
  session,
  type Event,
} from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toErrorInfo } from '../../shared/errors.ts'
import type { Engine } from '../engine/engine-api.ts'
import { createEngine } from '../engine/engine.ts'
import { appProtocolHandler } from './app-protocol.ts'
import { hardenContents, hardenSession } from './harden.ts'
import { applyLeanHeap } from './lean-heap.ts'
import { desktopSecrets } from './safe-storage-cipher.ts'
import { exposeContract, senderIsOurs, streamLive } from './ipc.ts'
import { BUNDLE, resolveLaunch } from './launch.ts'
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_START_URL, webPreferences } from './security.ts'

/*
 * The Electron entry (bundled to out/main/index.js): wiring only. The engine, the contract
 * and every security choice live in modules that are tested under Node.
 */

const here = dirname(fileURLToPath(import.meta.url))
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
const startUrl = devServerUrl ?? APP_START_URL
/** A stop that hangs must not keep a closed app alive; SQLite's WAL survives an abrupt end. */
const STOP_TIMEOUT_MS = 10_000

let engine: Engine | null = null
let win: BrowserWindow | null = null
let stopping: Promise<void> | null = null
let stopped = false

// Before the engine and its worker threads exist (see lean-heap.ts).
applyLeanHeap()
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
app.enableSandbox()

// One engine per database: a second launch focuses the first window instead.
if (!app.requestSingleInstanceLock()) app.exit(0)
else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })
  hardenContents(app)
  app.on('window-all-closed', () => app.quit())
  app.on('before-quit', stopEngineFirst)
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => app.quit())
  app.whenReady().then(start).catch(fatal)
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, devServerUrl)
  protocol.handle(APP_SCHEME, appProtocolHandler(join(here, BUNDLE.renderer)))

  const userData = app.getPath('userData')
  const launch = resolveLaunch(process.argv.slice(1), {
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    userData,
    cwd: process.cwd(),
  })
  console.log(`vigil: plant ${launch.configPath}, database ${launch.dbPath}, models ${launch.modelsDir}`)
  // Source passwords sealed by the OS keychain (safeStorage), not the headless key file.
  engine = await createEngine({
    ...launch,
    userDataDir: userData,
    secrets: () => desktopSecrets(safeStorage, userData),
  })

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Vigil',
    webPreferences: webPreferences(join(here, BUNDLE.preload), { devTools: !app.isPackaged }),
  })
  const contents = win.webContents
  exposeContract(ipcMain, engine, (e) => senderIsOurs(e, contents, startUrl))
  streamLive(win, engine, () => new MessageChannelMain())
  win.once('ready-to-show', () => win?.show())
  win.on('closed', () => (win = null))
  await win.loadURL(startUrl)
}

/**
 * Quitting waits for the engine to stop (sources, in-flight batches, the store's last commit).
 * A second Ctrl-C or close while it stops keeps waiting rather than cutting it short.
 */
function stopEngineFirst(e: Event): void {
  if (stopped || (engine === null && stopping === null)) return
  e.preventDefault()
  if (stopping !== null || engine === null) return
  const running = engine
  engine = null
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())
  stopping = Promise.race([running.stop(), timeout])
    .catch((err: unknown) => console.error('vigil: engine stop failed:', toErrorInfo(err).message))
    .finally(() => {
      stopped = true
      app.quit()
    })
}

function fatal(err: unknown): void {
  const { message } = toErrorInfo(err)
  console.error(`vigil: cannot start: ${message}`)
  dialog.showErrorBox('Vigil could not start', message)
  const running = engine
  engine = null
  void (running ? running.stop().catch(() => {}) : Promise.resolve()).finally(() => app.exit(1))
}
