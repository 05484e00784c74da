import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = fileURLToPath(import.meta.url)
/** From source, Node 22 runs .ts directly (type stripping); electron-vite bundles to out/main/*.js. */
const fromSource = here.endsWith('.ts')

/**
 * URL of a worker thread's entry. `sourcePath` is relative to src/main (e.g.
 * 'store/writer.worker.ts'); `bundleName` is its entry name in electron.vite.config.ts, emitted
 * beside out/main/index.js.
 */
export function workerUrl(sourcePath: string, bundleName: string): URL {
  if (fromSource) return pathToFileURL(join(dirname(here), sourcePath))
  return pathToFileURL(join(dirname(here), `${bundleName}.js`))
}
