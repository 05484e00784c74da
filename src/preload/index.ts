import { contextBridge, ipcRenderer } from 'electron'
import { expose } from './bridge.ts'

// Bundled by electron-vite as CommonJS (out/preload/index.cjs): a sandboxed preload cannot load ES modules.
expose(contextBridge, ipcRenderer)
