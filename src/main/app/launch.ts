import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { VigilError } from '../../shared/errors.ts'

/**
 * Where electron.vite.config.ts puts the other bundles, relative to out/main/ (where this
 * code runs as index.js). A sandboxed preload must be CommonJS, hence .cjs.
 */
export const BUNDLE = { preload: '../preload/index.cjs', renderer: '../renderer' } as const

/** Where the engine finds its plant configuration, database and models. */
export interface Launch {
  configPath: string
  dbPath: string
  modelsDir: string
  /** Models the user fitted (`vigil fit`), loaded beside the shipped ones. */
  userModelsDir: string
}

/** What Electron's `app` and `process` say about this run, as plain data. */
export interface Where {
  isPackaged: boolean
  /** process.resourcesPath: holds extraResources (models/, resources/) in a packaged app. */
  resourcesPath: string
  /** app.getAppPath(): the checkout's root when started with `electron .`. */
  appPath: string
  /** app.getPath('userData'). */
  userData: string
  cwd: string
}

function pathOption(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v === '' || v.startsWith('-')) {
    throw new VigilError('config.invalid', `--${name} needs a file path, e.g. --${name} ./plant.json`)
  }
  return v
}

/**
 * Reads --config and --db from Electron's argv (which also carries the app path and any
 * Chromium switches, hence strict: false), and fills in the rest: the demo plant shipped
 * in resources/, the database in the user's data folder, the models beside the app. A
 * packaged app finds models/ and resources/ as real folders in process.resourcesPath
 * (electron-builder extraResources), because native ONNX code cannot read inside an asar.
 */
export function resolveLaunch(argv: readonly string[], where: Where): Launch {
  const { values } = parseArgs({
    args: [...argv],
    options: { config: { type: 'string' }, db: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  })
  const config = pathOption(values, 'config')
  const db = pathOption(values, 'db')
  const base = where.isPackaged ? where.resourcesPath : where.appPath
  return {
    configPath: config ? resolve(where.cwd, config) : join(base, 'resources', 'demo-plant.json'),
    dbPath: db ? resolve(where.cwd, db) : join(where.userData, 'vigil.db'),
    modelsDir: join(base, 'models'),
    userModelsDir: join(where.userData, 'models'),
  }
}
