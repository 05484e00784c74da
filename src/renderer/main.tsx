import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectClient, installClient } from './api/index.ts'
import { App } from './shell/App.tsx'
import { startFeed } from './state/feed.ts'
import './styles/hmi.css'

const client = connectClient(window)
installClient(client)
startFeed(client)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
