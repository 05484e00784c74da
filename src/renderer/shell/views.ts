import * as alarms from '../features/alarms/index.ts'
import * as asset from '../features/asset/index.ts'
import * as health from '../features/health/index.ts'
import * as maintenance from '../features/maintenance/index.ts'
import * as overview from '../features/overview/index.ts'
import type { View } from './view.ts'

/** Navigation order. A new view is a folder under features/ and one entry here. */
export const views: View[] = [overview, asset, alarms, maintenance, health]
export const defaultView = overview.id
