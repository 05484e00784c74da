import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

// Main-process entries: the Electron app, the `vigil` CLI and every worker thread's entry.
// All land flat in out/main/ so src/main/worker-url.ts finds workers beside the chunk that
// starts them.
const mainEntries = {
  index: resolve('src/main/app/main.ts'),
  cli: resolve('src/main/cli/vigil.ts'),
  'pipeline.worker': resolve('src/main/pipeline/pipeline.worker.ts'),
  'store.worker': resolve('src/main/store/writer.worker.ts'),
  'fit.worker': resolve('src/main/models/fit/fit.worker.ts'),
  'import.worker': resolve('src/main/import/import.worker.ts'),
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: mainEntries,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron and a few built-ins: bundle zod and
      // the contract into it, and emit CommonJS, which sandboxed preloads need.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
    plugins: [react()],
  },
})
