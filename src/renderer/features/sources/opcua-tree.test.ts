import { describe, expect, it } from 'vitest'
import type { OpcuaBrowseNode } from '../../../shared/opcua-channels.ts'
import {
  sourceBlock,
  suggestTagId,
  toggled,
  visibleRows,
  withChildren,
  withError,
  type Tree,
} from './opcua-tree.ts'

const node = (nodeId: string, nodeClass: OpcuaBrowseNode['nodeClass'] = 'Object'): OpcuaBrowseNode => ({
  nodeId,
  browseName: nodeId.split('.').at(-1)!,
  displayName: nodeId,
  nodeClass,
  hasChildren: nodeClass === 'Object',
})
const root: Tree = { '': { node: node(''), children: null, open: true } }

describe('OPC UA browse tree', () => {
  it('shows children under their parent once browsed, and hides them when closed', () => {
    let t = withChildren(root, '', [node('Plant')])
    t = withChildren(t, 'Plant', [node('Plant.P-101')])
    t = withChildren(t, 'Plant.P-101', [node('Plant.P-101.Motor_RPM', 'Variable')])
    expect(visibleRows(t, t['']!.children!).map((r) => [r.node.nodeId, r.depth])).toEqual([
      ['Plant', 0],
      ['Plant.P-101', 1],
      ['Plant.P-101.Motor_RPM', 2],
    ])
    t = toggled(t, 'Plant.P-101')
    expect(visibleRows(t, t['']!.children!).map((r) => r.node.nodeId)).toEqual(['Plant', 'Plant.P-101'])
  })

  it('marks an open node loading until its children arrive, and keeps a browse error on the node', () => {
    let t = withChildren(root, '', [node('Plant')])
    t = toggled(t, 'Plant')
    expect(visibleRows(t, ['Plant'])[0]).toMatchObject({ loading: true })
    t = withError(t, 'Plant', 'BadUserAccessDenied')
    expect(visibleRows(t, ['Plant'])[0]).toMatchObject({
      loading: false,
      open: false,
      error: 'BadUserAccessDenied',
    })
  })

  it('does not loop when a node refers back to one above it', () => {
    let t = withChildren(root, '', [node('A')])
    t = withChildren(t, 'A', [node('B')])
    t = withChildren(t, 'B', [node('A')])
    expect(visibleRows(t, ['A']).map((r) => r.node.nodeId)).toEqual(['A', 'B'])
  })
})

describe('mapping variables to tags', () => {
  it('suggests tag ids from browse names', () => {
    expect(suggestTagId('Bearing Temp (°C)')).toBe('Bearing_Temp_C')
    expect(suggestTagId('2nd stage')).toBe('T_2nd_stage')
    expect(suggestTagId('Motor_RPM')).toBe('Motor_RPM')
  })

  it('writes the source block for a plant file, or says what is wrong with the picks', () => {
    const conn = { endpoint: 'opc.tcp://plc:4840', securityMode: 'auto' }
    expect(sourceBlock(conn, { 'ns=1;s=A': 'Motor_RPM' }, 1000)).toEqual({
      block: {
        kind: 'opcua',
        endpoint: 'opc.tcp://plc:4840',
        securityMode: 'auto',
        samplingIntervalMs: 1000,
        nodes: { 'ns=1;s=A': 'Motor_RPM' },
      },
      problems: [],
    })
    expect(sourceBlock(conn, { 'ns=1;s=A': 'X', 'ns=1;s=B': 'X', 'ns=1;s=C': '9x' }, 1000).problems).toEqual([
      'ns=1;s=B: tag X is already fed by ns=1;s=A',
      'ns=1;s=C: "9x" is not a tag id (a letter, then letters, digits, _)',
    ])
    expect(sourceBlock(conn, {}, 1000).problems).toEqual(['pick at least one variable'])
  })
})
