import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { VigilError } from '../../shared/errors.ts'
import { PlantConfig } from '../../shared/plant.ts'
import { formatIssues } from '../../shared/zod-format.ts'

/**
 * Reads a plant configuration (JSON, or YAML by extension) and validates it. Every failure
 * names the file and, for schema errors, the field: "plant.yaml: assets[0].tags[3].max: ...".
 */
export function loadPlantConfig(file: string): PlantConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new VigilError(
      'config.invalid',
      `${file}: cannot read the plant configuration (${(e as Error).message})`,
    )
  }
  let raw: unknown
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text)
  } catch (e) {
    throw new VigilError(
      'config.invalid',
      `${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    )
  }
  return parsePlantConfig(raw, file)
}

export function parsePlantConfig(raw: unknown, file = 'plant configuration'): PlantConfig {
  const r = PlantConfig.safeParse(raw)
  if (!r.success) throw new VigilError('config.invalid', `${file}: ${formatIssues(r.error)}`)
  return r.data
}
