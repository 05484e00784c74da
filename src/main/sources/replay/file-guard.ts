import { stat } from 'node:fs/promises'
import { VigilError } from '../../../shared/errors.ts'

/** How often a replay looks at its file: often enough to fail within a tick or two, cheap at any rate. */
const CHECK_EVERY_MS = 250

/**
 * Watches the file a replay plays. The parser holds the file open, so on Linux a deleted file
 * would go on playing to its end and a truncated one would just stop yielding rows; either
 * way the source would look healthy while the data is gone. `check` throws a VigilError naming
 * the file once it has been deleted, moved, replaced or cut short, and the replay fails.
 */
export class FileGuard {
  private readonly file: string
  private readonly size: number
  private readonly ino: number
  private lastCheck = 0

  private constructor(file: string, size: number, ino: number) {
    this.file = file
    this.size = size
    this.ino = ino
  }

  static async of(file: string): Promise<FileGuard> {
    const s = await stat(file)
    return new FileGuard(file, s.size, s.ino)
  }

  async check(now = Date.now()): Promise<void> {
    if (now - this.lastCheck < CHECK_EVERY_MS) return
    this.lastCheck = now
    let s
    try {
      s = await stat(this.file)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw new VigilError(
        'unavailable',
        `replay of ${this.file}: the file is gone (${code === 'ENOENT' ? 'deleted or moved' : (e as Error).message}); the rows played before are kept`,
      )
    }
    if (s.ino !== this.ino)
      throw new VigilError(
        'unavailable',
        `replay of ${this.file}: the file was replaced by another while playing; the rows played before are kept`,
      )
    if (s.size < this.size)
      throw new VigilError(
        'unavailable',
        `replay of ${this.file}: the file was cut short while playing (${s.size} bytes, was ${this.size}); the rows played before are kept`,
      )
  }
}
