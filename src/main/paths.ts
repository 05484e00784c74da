import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder holding package.json, models/ and resources/ when running from a checkout or
 * the built out/ folder. The packaged Electron app passes its own paths instead.
 */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'resources'))) return dir
    dir = dirname(dir)
  }
  throw new Error('Vigil cannot find its folder (package.json beside resources/)')
}

export const demoPlantPath = () => join(appRoot(), 'resources', 'demo-plant.json')
export const modelsDir = () => join(appRoot(), 'models')
export const checklistsDir = () => join(appRoot(), 'resources', 'checklists')
export const rendererDir = () => join(appRoot(), 'out', 'renderer')
