import * as alarms from '../features/alarms/index.ts'
import * as asset from '../features/asset/index.ts'
import * as assistant from '../features/assistant/index.ts'
import * as health from '../features/health/index.ts'
import * as history from '../features/history/index.ts'
import * as importer from '../features/import/index.ts'
import * as maintenance from '../features/maintenance/index.ts'
import * as models from '../features/models/index.ts'
import * as overview from '../features/overview/index.ts'
import * as sources from '../features/sources/index.ts'
import * as users from '../features/users/index.ts'
import * as audit from '../features/audit/index.ts'
import * as plantHead from '../features/plant-head/index.ts'
import * as management from '../features/management/index.ts'
import * as engineering from '../features/engineering/index.ts'
import * as optimizer from '../features/optimizer/index.ts'
import * as quality from '../features/quality/index.ts'
import { withRoles } from './nav-roles.ts'
import type { View } from './view.ts'

/**
 * Navigation order. A new view is a folder under features/ and one entry here. A folder's
 * index.ts may name the roles it serves (`roles`); withRoles names them for those that do not.
 */
export const views: View[] = [
  overview,
  plantHead,
  management,
  engineering,
  withRoles(asset, ['operator', 'engineer', 'plant-head']),
  withRoles(alarms, ['operator', 'engineer', 'plant-head']),
  withRoles(assistant, ['operator', 'engineer', 'plant-head']),
  optimizer,
  quality,
  withRoles(maintenance, ['engineer', 'plant-head', 'management']),
  history,
  withRoles(importer, ['engineer', 'admin']),
  models,
  sources,
  health,
  users,
  audit,
]
export const defaultView = overview.id
