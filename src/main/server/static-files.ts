import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { contentType, CSP, resolveUiFile } from '../ui-assets.ts'

/**
 * Serves only files inside `root` (the built renderer): the headless server must never
 * become a way to read the disk (resolveUiFile refuses ../ in any encoding and dot-files).
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse, head: boolean): void {
  const file = resolveUiFile(root, pathname)
  const size = file === null ? -1 : fileSize(file)
  if (file === null || size < 0)
    return void res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
  const type = contentType(file)
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': size,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  })
  if (head) return void res.end()
  createReadStream(file).pipe(res)
}

function fileSize(file: string): number {
  try {
    const s = statSync(file)
    return s.isFile() ? s.size : -1
  } catch {
    return -1
  }
}
