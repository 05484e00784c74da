import { describe, expect, it } from 'vitest'
import type { Principal } from '../../shared/alarm-channels.ts'
import type { Role } from '../../shared/alarms.ts'
import { landingFor, mayShow, visibleViews } from './nav-roles.ts'
import { views } from './views.ts'

const as = (role: Role | 'anonymous'): Principal => ({
  user: role === 'anonymous' ? null : 'u',
  role,
  open: false,
  permissions: ['view'],
})
const open: Principal = { user: 'local', role: 'local', open: true, permissions: [] }
const ids = (p: Principal | null) => visibleViews(views, p).map((v) => v.id)

describe('role-aware navigation', () => {
  it('offers every view on an open console, and only the shared ones before the engine says who this is', () => {
    expect(ids(open)).toEqual(views.map((v) => v.id))
    expect(ids(null)).toEqual(['overview'])
  })

  it("gives each role the views it works with, and nobody signed in the operator's read-only ones", () => {
    expect(ids(as('operator'))).toEqual(expect.arrayContaining(['overview', 'asset', 'alarms', 'history']))
    for (const id of ['health', 'models', 'import', 'maintenance'])
      expect(ids(as('operator'))).not.toContain(id)
    expect(ids(as('anonymous'))).toEqual(ids(as('operator')))
    expect(ids(as('admin'))).toEqual(expect.arrayContaining(['health', 'models', 'import']))
    expect(ids(as('admin'))).not.toContain('alarms')
    expect(ids(as('management'))).toEqual(['overview', 'management', 'maintenance'])
    expect(ids(as('admin'))).toEqual(expect.arrayContaining(['users', 'audit']))
    expect(ids(as('plant-head'))).toEqual(expect.arrayContaining(['plant-head', 'engineering', 'audit']))
    for (const id of ['users', 'audit', 'management', 'plant-head', 'engineering'])
      expect(ids(as('operator'))).not.toContain(id)
    expect(ids(as('engineer'))).toEqual(expect.arrayContaining(['history', 'models', 'import', 'alarms']))
    expect(ids(as('engineer'))).not.toContain('health')
  })

  it('refuses to draw a view a role does not use, but not before the principal is known', () => {
    const health = views.find((v) => v.id === 'health')!
    expect(mayShow(health, as('operator'))).toBe(false)
    expect(mayShow(health, as('admin'))).toBe(true)
    expect(mayShow(health, null)).toBe(true)
  })

  it('lands each role on its own view: admin system health, engineer sensor health, plant head operations, management risk', () => {
    expect(landingFor(as('admin'), 'overview')).toBe('health')
    expect(landingFor(as('engineer'), 'overview')).toBe('engineering')
    expect(landingFor(as('plant-head'), 'overview')).toBe('plant-head')
    expect(landingFor(as('management'), 'overview')).toBe('management')
    expect(landingFor(as('operator'), 'overview')).toBe('overview')
    expect(landingFor(open, 'overview')).toBe('overview')
  })
})
