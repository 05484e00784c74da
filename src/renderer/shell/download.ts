/**
 * Saves text as a file the way a browser and Electron's sandboxed window both allow: a blob
 * link, clicked (no file dialog API reaches the renderer). The object URL is revoked a moment
 * later, once the browser has started reading it.
 */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = Object.assign(document.createElement('a'), { href: url, download: filename })
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
