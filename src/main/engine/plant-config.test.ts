import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlantConfig } from './plant-config.ts'
import { demoPlantPath } from '../paths.ts'

const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'))
const write = (name: string, text: string) => {
  const f = join(dir, name)
  writeFileSync(f, text)
  return f
}

describe('loadPlantConfig', () => {
  it('loads the embedded demo plant whose first asset is P-101 with ten sensors', () => {
    const p = loadPlantConfig(demoPlantPath())
    expect(p.assets[0]!.id).toBe('P-101')
    expect(p.assets[0]!.tags.map((t) => t.id)).toContain('Bearing_Temperature_C')
    expect(p.assets[0]!.tags).toHaveLength(10)
  })

  it('names the file and the bad field', () => {
    const f = write(
      'bad.json',
      JSON.stringify({
        name: 'x',
        assets: [
          {
            id: 'A',
            name: 'a',
            class: 'pump',
            source: { kind: 'simulator', model: 'pump' },
            tags: [{ id: 'T', unit: 'C', min: 0, max: 'hot' }],
          },
        ],
      }),
    )
    expect(() => loadPlantConfig(f)).toThrow(/bad\.json: assets\[0\]\.tags\[0\]\.max/)
  })

  it('rejects a min above max, a duplicate tag and an unknown source kind, naming each', () => {
    const asset = (tags: unknown[], source: unknown = { kind: 'simulator', model: 'pump' }) => ({
      id: 'A',
      name: 'a',
      class: 'pump',
      source,
      tags,
    })
    const t = { id: 'T', unit: 'C', min: 0, max: 1 }
    expect(() =>
      loadPlantConfig(write('a.json', JSON.stringify({ name: 'x', assets: [asset([{ ...t, min: 5 }])] }))),
    ).toThrow(/assets\[0\]\.tags\[0\]\.max: min must be below max/)
    expect(() =>
      loadPlantConfig(write('b.json', JSON.stringify({ name: 'x', assets: [asset([t, t])] }))),
    ).toThrow(/assets\[0\]\.tags\[1\]\.id: duplicate tag id "T"/)
    expect(() =>
      loadPlantConfig(
        write('c.json', JSON.stringify({ name: 'x', assets: [asset([t], { kind: 'modbus' })] })),
      ),
    ).toThrow(/assets\[0\]\.source\.kind/)
  })

  it('reads YAML and reports its syntax errors with the file name', () => {
    const ok = write(
      'p.yaml',
      'name: y\nassets:\n  - id: A\n    name: a\n    class: pump\n    source: {kind: simulator, model: pump}\n    tags: [{id: T, unit: C, min: 0, max: 1}]\n',
    )
    expect(loadPlantConfig(ok).assets[0]!.id).toBe('A')
    expect(() => loadPlantConfig(write('q.yaml', 'name: [unclosed\n'))).toThrow(/q\.yaml: not valid YAML/)
    expect(() => loadPlantConfig(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read/)
  })
})
