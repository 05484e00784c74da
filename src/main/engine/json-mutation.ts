import fc from 'fast-check'

/*
 * Fuzzing support for configuration files: one random change to a valid JSON document, with
 * where it was made, so a test can check that a refusal names that place. Used by the plant
 * configuration and model card fuzz tests.
 */

export type JsonPath = (string | number)[]

export interface Mutation {
  doc: unknown
  path: JsonPath
  change: 'replace' | 'delete' | 'add-key'
}

/** Every place in `doc` down to `depth` levels, the root included. */
export function pathsOf(doc: unknown, depth = 6, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [at]
  if (depth === 0 || doc === null || typeof doc !== 'object') return out
  const entries = Array.isArray(doc) ? doc.map((v, i) => [i, v] as const) : Object.entries(doc)
  for (const [k, v] of entries) out.push(...pathsOf(v, depth - 1, [...at, k]))
  return out
}

function edit(
  doc: unknown,
  path: JsonPath,
  f: (parent: Record<string | number, unknown>, key: string | number) => void,
) {
  const copy = structuredClone(doc) as Record<string | number, unknown>
  let parent = copy
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
  f(parent, path.at(-1)!)
  return copy
}

/** "assets[0].tags[3].max", as zod-format.ts writes a path. */
export const formatPath = (p: JsonPath) =>
  p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')

/** One replaced value, deleted key or added unknown key somewhere below the root of `base`. */
export function mutation(base: unknown, depth = 6): fc.Arbitrary<Mutation> {
  const places = pathsOf(base, depth).filter((p) => p.length > 0)
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(-1, 0, 1e308, -1e308, '', 'x'.repeat(300), null, [], {}, true),
  )
  return fc.constantFrom(...places).chain((path) =>
    fc.oneof(
      value.map((v): Mutation => ({ doc: edit(base, path, (p, k) => (p[k] = v)), path, change: 'replace' })),
      fc.constant<Mutation>({
        doc: edit(base, path, (p, k) => (Array.isArray(p) ? p.splice(Number(k), 1) : delete p[k])),
        path,
        change: 'delete',
      }),
      fc.string({ minLength: 1, maxLength: 8 }).map((key): Mutation => ({
        doc: edit(base, path, (p, k) => {
          const target = p[k]
          if (target && typeof target === 'object' && !Array.isArray(target))
            (target as Record<string, unknown>)[`zz_${key}`] = 1
        }),
        path,
        change: 'add-key',
      })),
    ),
  )
}

/**
 * Whether a refusal's message names the changed place: some line's field path is the changed
 * path, lies inside it, or contains it (a union refused as a whole, a key reported missing).
 * `file` is the prefix the loader puts before the first line. With `section`, a field that
 * shares the changed path's first `section` levels also counts: a rule across fields (scaler
 * lengths against the tag list) names the field that disagrees.
 */
export function namesPlace(message: string, path: JsonPath, file: string, section = Infinity): boolean {
  const full = formatPath(path)
  const near = section < path.length ? formatPath(path.slice(0, section)) : null
  return message.split('\n').some((raw) => {
    const line = raw.startsWith(`${file}: `) ? raw.slice(file.length + 2) : raw
    const field = /^((?:[A-Za-z_$][\w$-]*|\[\d+\])(?:\.[\w$-]+|\[\d+\])*): /.exec(line)?.[1]
    if (field === undefined) return /Unrecognized key|expected object/i.test(line)
    return full.startsWith(field) || field.startsWith(full) || (near !== null && field.startsWith(near))
  })
}
