import { relative, resolve, sep } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import regressions from '../../fuzz-regressions/ui-paths.json' with { type: 'json' }
import { resolveUiFile } from './ui-assets.ts'

/** Both shells map URL paths to files with resolveUiFile; no path may leave the UI folder. */
const root = resolve('/srv/vigil/ui')

const piece = fc.oneof(
  fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2f', '%5c', '\\', '/', '%00', '%', '%c0%ae', '~'),
  fc.constantFrom('index.html', 'assets', 'app.js', '.env', '.git', 'etc', 'passwd', 'C:', '\\\\server'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 4 }).map(encodeURIComponent),
)

describe('resolveUiFile under any URL path', () => {
  it('answers a file inside the UI folder, never a dot-file, or null', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.boolean(), (parts, lead) => {
        const path = (lead ? '/' : '') + parts.join('')
        const file = resolveUiFile(root, path)
        if (file === null) return
        const rel = relative(root, file)
        expect(rel === '' || rel === '..' || rel.startsWith(`..${sep}`), path).toBe(false)
        expect(file.startsWith(root + sep), path).toBe(true)
        expect(
          rel.split(sep).some((s) => s.startsWith('.')),
          path,
        ).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  it('still refuses every path that once got through (fuzz-regressions/ui-paths.json)', () => {
    for (const c of regressions) expect(resolveUiFile(root, c.path), c.found).toBeNull()
  })
})
