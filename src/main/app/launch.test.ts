import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { VigilError } from '../../shared/errors.ts'
import { resolveLaunch, type Where } from './launch.ts'

const checkout: Where = {
  isPackaged: false,
  resourcesPath: '/usr/lib/electron/resources',
  appPath: '/home/op/vigil',
  userData: '/home/op/.config/Vigil',
  cwd: '/home/op/plants',
}
const packaged: Where = {
  ...checkout,
  isPackaged: true,
  resourcesPath: '/opt/Vigil/resources',
  appPath: '/opt/Vigil/resources/app.asar',
}

describe('resolveLaunch', () => {
  it('from a checkout runs the demo plant and models of the repo, with the database in userData', () => {
    expect(resolveLaunch(['.'], checkout)).toEqual({
      configPath: join('/home/op/vigil', 'resources', 'demo-plant.json'),
      dbPath: join('/home/op/.config/Vigil', 'vigil.db'),
      modelsDir: join('/home/op/vigil', 'models'),
      userModelsDir: join('/home/op/.config/Vigil', 'models'),
    })
  })

  it('packaged, finds the demo plant and models as real folders beside app.asar', () => {
    const l = resolveLaunch([], packaged)
    expect(l.configPath).toBe(join('/opt/Vigil/resources', 'resources', 'demo-plant.json'))
    expect(l.modelsDir).toBe(join('/opt/Vigil/resources', 'models'))
  })

  it('takes --config and --db, relative to the directory it was started from', () => {
    const l = resolveLaunch(['.', '--config', 'north.json', '--db=/data/north.db'], checkout)
    expect(l.configPath).toBe(resolve('/home/op/plants', 'north.json'))
    expect(l.dbPath).toBe('/data/north.db')
  })

  it('ignores the Chromium switches Electron passes along', () => {
    const l = resolveLaunch(['--no-sandbox', '--enable-logging', '--config', 'a.json'], checkout)
    expect(l.configPath).toBe(resolve('/home/op/plants', 'a.json'))
  })

  it('refuses --config without a path, naming the option', () => {
    for (const argv of [['--config'], ['--config', '--db', 'x.db'], ['--db=']]) {
      expect(() => resolveLaunch(argv, checkout), argv.join(' ')).toThrow(VigilError)
    }
    expect(() => resolveLaunch(['--config'], checkout)).toThrow(/--config needs a file path/)
  })
})
