import type { ClientSession, ReferenceDescription } from 'node-opcua'
import type { OpcuaBrowseNode } from '../../shared/opcua-channels.ts'
import type { Opcua } from './load.ts'
import { within } from './session.ts'

/** A folder with more children than this is cut, so one click cannot ask for a million nodes. */
export const MAX_CHILDREN = 2000
export const OBJECTS_FOLDER = 'i=85'

const CLASS_NAMES: Record<number, OpcuaBrowseNode['nodeClass']> = {
  1: 'Object',
  2: 'Variable',
  4: 'Method',
  8: 'ObjectType',
  16: 'VariableType',
  128: 'View',
}

/**
 * The children of `nodeId` along hierarchical references (Organizes, HasComponent,
 * HasProperty...), following continuation points, with each variable's data type and
 * current value read in one call, so the tree can show what a node holds before it is
 * mapped to a tag.
 */
export async function browseChildren(
  m: Opcua,
  session: ClientSession,
  nodeId: string,
): Promise<OpcuaBrowseNode[]> {
  const refs: ReferenceDescription[] = []
  let r = await within(
    session.browse({
      nodeId,
      browseDirection: m.BrowseDirection.Forward,
      referenceTypeId: 'HierarchicalReferences',
      includeSubtypes: true,
      nodeClassMask: 0,
      resultMask: 63,
    }),
    10_000,
    `browse ${nodeId}`,
  )
  if (r.statusCode.value !== 0) throw new Error(`browse ${nodeId}: ${r.statusCode.name}`)
  refs.push(...(r.references ?? []))
  while (r.continuationPoint && r.continuationPoint.length && refs.length < MAX_CHILDREN) {
    r = await within(session.browseNext(r.continuationPoint, false), 10_000, `browse ${nodeId}`)
    refs.push(...(r.references ?? []))
  }
  if (r.continuationPoint && r.continuationPoint.length)
    await session.browseNext(r.continuationPoint, true).catch(() => {})
  const kept = refs.slice(0, MAX_CHILDREN)
  const variables = kept.filter((x) => x.nodeClass === m.NodeClass.Variable)
  const read = variables.length
    ? await within(
        session.read(
          variables.flatMap((v) => [
            { nodeId: v.nodeId, attributeId: m.AttributeIds.Value },
            { nodeId: v.nodeId, attributeId: m.AttributeIds.DataType },
          ]),
        ),
        10_000,
        `read ${variables.length} variables under ${nodeId}`,
      )
    : []
  const details = new Map(variables.map((v, i) => [v, { value: read[2 * i], type: read[2 * i + 1] }]))
  return kept.map((ref) => {
    const nodeClass = CLASS_NAMES[ref.nodeClass] ?? 'Other'
    const node: OpcuaBrowseNode = {
      nodeId: ref.nodeId.toString(),
      browseName: ref.browseName.name ?? '',
      displayName: ref.displayName.text ?? ref.browseName.name ?? '',
      nodeClass,
      hasChildren: nodeClass === 'Object' || nodeClass === 'View',
    }
    const d = details.get(ref)
    if (d) {
      node.dataType = typeName(m, d.type?.value?.value)
      const v: unknown = d.value?.statusCode.value === 0 ? d.value.value?.value : null
      node.value = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null
    }
    return node
  })
}

/** "Double" for a built-in type (ns=0, i=1..25), else the data type's node id. */
function typeName(m: Opcua, id: unknown): string | undefined {
  if (!id || typeof id !== 'object') return undefined
  const n = id as { namespace?: number; value?: unknown; toString(): string }
  if (n.namespace === 0 && typeof n.value === 'number' && n.value >= 1 && n.value <= 25)
    return m.DataType[n.value] ?? n.toString()
  return n.toString()
}
