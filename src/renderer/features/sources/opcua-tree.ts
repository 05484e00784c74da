import type { OpcuaBrowseNode } from '../../../shared/opcua-channels.ts'

/**
 * The OPC UA browser's state, kept flat by node id: what each node is, its children once
 * browsed (null: not yet), whether it is open. Pure functions, so the tree logic is tested
 * without a DOM.
 */
export interface TreeEntry {
  node: OpcuaBrowseNode
  children: string[] | null
  open: boolean
  error?: string
}
export type Tree = Record<string, TreeEntry>

export interface TreeRow {
  node: OpcuaBrowseNode
  depth: number
  open: boolean
  loading: boolean
  error?: string
}

/** The tree with `parent`'s children filled in (parent '' is the root). */
export function withChildren(tree: Tree, parent: string, children: OpcuaBrowseNode[]): Tree {
  const next: Tree = { ...tree }
  for (const c of children) next[c.nodeId] = next[c.nodeId] ?? { node: c, children: null, open: false }
  const p = next[parent]
  if (p) next[parent] = { ...p, children: children.map((c) => c.nodeId), open: true, error: undefined }
  return next
}

export const withError = (tree: Tree, id: string, error: string): Tree =>
  tree[id] ? { ...tree, [id]: { ...tree[id], error, open: false } } : tree

export const toggled = (tree: Tree, id: string): Tree =>
  tree[id] ? { ...tree, [id]: { ...tree[id], open: !tree[id].open } } : tree

/** Visible rows, depth first, under the root's children; a node already above in the path is not repeated. */
export function visibleRows(tree: Tree, roots: string[]): TreeRow[] {
  const rows: TreeRow[] = []
  const walk = (ids: string[], depth: number, path: Set<string>) => {
    for (const id of ids) {
      const e = tree[id]
      if (!e || path.has(id)) continue
      rows.push({ node: e.node, depth, open: e.open, loading: e.open && e.children === null, error: e.error })
      if (e.open && e.children) walk(e.children, depth + 1, new Set([...path, id]))
    }
  }
  walk(roots, 0, new Set())
  return rows
}

const TAG_ID = /^[A-Za-z][A-Za-z0-9_]*$/

/** A tag id from a browse name: "Bearing Temp (°C)" -> "Bearing_Temp_C". */
export function suggestTagId(browseName: string): string {
  const s = browseName
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_')
  return TAG_ID.test(s) ? s : `T_${s}`.replace(/_+$/, '') || 'T'
}

export interface SourceBlock {
  block: Record<string, unknown> | null
  problems: string[]
}

/**
 * The plant file's source block for the picked variables (node id -> tag id), or what is
 * wrong with the picks: a tag id that is not one, a tag fed by two nodes.
 */
export function sourceBlock(
  conn: { endpoint: string; securityMode: string; user?: { username: string; passwordSecret: string } },
  picks: Record<string, string>,
  samplingIntervalMs: number,
): SourceBlock {
  const problems: string[] = []
  const seen = new Map<string, string>()
  const nodes: Record<string, string> = {}
  for (const [nodeId, tag] of Object.entries(picks)) {
    if (!TAG_ID.test(tag))
      problems.push(`${nodeId}: "${tag}" is not a tag id (a letter, then letters, digits, _)`)
    else if (seen.has(tag)) problems.push(`${nodeId}: tag ${tag} is already fed by ${seen.get(tag)}`)
    else {
      seen.set(tag, nodeId)
      nodes[nodeId] = tag
    }
  }
  if (!Object.keys(nodes).length && !problems.length) problems.push('pick at least one variable')
  if (problems.length) return { block: null, problems }
  return {
    block: {
      kind: 'opcua',
      endpoint: conn.endpoint,
      securityMode: conn.securityMode,
      ...(conn.user ? { user: conn.user } : {}),
      samplingIntervalMs,
      nodes,
    },
    problems,
  }
}
