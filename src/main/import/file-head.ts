import { open } from 'node:fs/promises'
import { VigilError } from '../../shared/errors.ts'
import type { Encoding } from '../../shared/import.ts'

/** What detection reads of a file: never more than HEAD_BYTES, whatever its size. */
export const HEAD_BYTES = 256 * 1024

export interface FileHead {
  path: string
  size: number
  encoding: Encoding
  /** Bytes of byte-order mark before the text. */
  bom: number
  /** The head decoded, cut after its last complete line (unless the file ends inside it). */
  text: string
  /** The head's bytes (after the mark), same cut: detection maps lines to byte offsets with it. */
  bytes: Uint8Array
  /** The whole file fits in the head. */
  complete: boolean
}

export async function readHead(path: string, max = HEAD_BYTES): Promise<FileHead> {
  let fh
  try {
    fh = await open(path, 'r')
  } catch (e) {
    throw new VigilError('not-found', `${path}: cannot open the file: ${(e as Error).message}`)
  }
  try {
    const size = (await fh.stat()).size
    const raw = new Uint8Array(Math.min(max, size))
    const { bytesRead } = await fh.read(raw, 0, raw.length, 0)
    const { encoding, bom } = sniffEncoding(raw.subarray(0, bytesRead))
    const complete = bytesRead >= size
    let bytes: Uint8Array = raw.subarray(bom, bytesRead)
    if (!complete) bytes = cutAtLastLine(bytes, encoding)
    const text = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding).decode(bytes)
    return { path, size, encoding, bom, text, bytes, complete }
  } finally {
    await fh.close()
  }
}

/** A byte-order mark decides; else zero bytes in every other place mean UTF-16; else UTF-8 if it decodes. */
export function sniffEncoding(b: Uint8Array): { encoding: Encoding; bom: number } {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bom: 3 }
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 }
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bom: 2 }
  const n = Math.min(b.length, 4096) & ~1
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++
    if (b[i + 1] === 0) oddZeros++
  }
  if (n >= 8 && oddZeros > n / 4 && evenZeros === 0) return { encoding: 'utf-16le', bom: 0 }
  if (n >= 8 && evenZeros > n / 4 && oddZeros === 0) return { encoding: 'utf-16be', bom: 0 }
  try {
    // stream: a character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true })
    return { encoding: 'utf-8', bom: 0 }
  } catch {
    return { encoding: 'latin1', bom: 0 }
  }
}

function cutAtLastLine(b: Uint8Array, encoding: Encoding): Uint8Array {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const lf = encoding === 'utf-16le' ? [10, 0] : [0, 10]
    for (let i = (b.length & ~1) - 2; i >= 0; i -= 2)
      if (b[i] === lf[0] && b[i + 1] === lf[1]) return b.subarray(0, i + 2)
    return b.subarray(0, b.length & ~1)
  }
  const i = b.lastIndexOf(10)
  return i >= 0 ? b.subarray(0, i + 1) : b
}
