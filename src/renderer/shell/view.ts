import type { ComponentType } from 'react'
import type { Role } from '../../shared/alarms.ts'

export interface ViewProps {
  /** The route's segments after the view id: ['P-101'] for #/asset/P-101. */
  params: string[]
}

/**
 * What a feature folder's index.ts exports. `perAsset` views get one navigation entry per
 * asset (their first param is the asset id); the others get one entry.
 */
export interface View {
  id: string
  title: string
  Component: ComponentType<ViewProps>
  perAsset?: boolean
  /** The roles whose navigation offers it (nav-roles.ts); absent: every role's. The engine still checks each call. */
  roles?: readonly Role[]
}
