import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

/**
 * Serves only files inside `root` (the built renderer). A path that normalises outside it,
 * or any dot-file, is a 404: the headless server must never become a way to read the disk.
 * Paths without an extension get index.html, so a reload on a view's URL works.
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse, head: boolean): void {
  const base = resolve(root)
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    return notFound(res)
  }
  if (rel.includes('\0') || rel.split('/').some((p) => p.startsWith('.') && p !== '')) return notFound(res)
  let file = normalize(join(base, rel))
  if (file !== base && !file.startsWith(base + sep)) return notFound(res)
  if (file === base || !extname(file)) file = join(base, 'index.html')
  if (!existsSync(file) || !statSync(file).isFile()) return notFound(res)
  const type = types[extname(file)] ?? 'application/octet-stream'
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': statSync(file).size,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  })
  if (head) return void res.end()
  createReadStream(file).pipe(res)
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
}
