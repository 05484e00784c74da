import { useState } from 'react'
import type { OpcuaCertificateInfo } from '../../../shared/opcua-channels.ts'
import { call, errorText } from '../../api/index.ts'
import { formatValue } from '../../state/format.ts'
import {
  sourceBlock,
  suggestTagId,
  toggled,
  visibleRows,
  withChildren,
  withError,
  type Tree,
} from './opcua-tree.ts'
import './opcua.css'

const ROOT = ''
const fresh = (): Tree => ({
  [ROOT]: {
    node: { nodeId: ROOT, browseName: '', displayName: '', nodeClass: 'Object', hasChildren: true },
    children: null,
    open: true,
  },
})

const shown = (v: unknown) =>
  typeof v === 'number' ? formatValue(v) : v === undefined || v === null ? '' : String(v)

/**
 * Browse an OPC UA server, pick variables and name their tags: the result is a source block
 * to paste into the plant file. A server whose certificate Vigil does not trust is shown with
 * its certificate, to check and trust once; nothing is read from it before.
 */
export function OpcuaBrowser() {
  const [endpoint, setEndpoint] = useState('opc.tcp://localhost:4840')
  const [securityMode, setMode] = useState<'auto' | 'None' | 'Sign' | 'SignAndEncrypt'>('auto')
  const [username, setUsername] = useState('')
  const [passwordSecret, setSecret] = useState('')
  const [tree, setTree] = useState<Tree>(fresh)
  const [untrusted, setUntrusted] = useState<OpcuaCertificateInfo | null>(null)
  const [security, setSecurity] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [picks, setPicks] = useState<Record<string, string>>({})
  const user = username ? { username, passwordSecret } : undefined

  const browse = async (nodeId: string) => {
    try {
      const r = await call('opcua.browse', {
        endpoint,
        securityMode,
        ...(user && { user }),
        ...(nodeId && { nodeId }),
      })
      if (r.status === 'untrusted') return setUntrusted(r.certificate)
      setUntrusted(null)
      setSecurity(r.security.mode === 'None' ? 'None' : `${r.security.mode}, ${r.security.policy}`)
      setTree((t) => withChildren(t, nodeId, r.children))
    } catch (e) {
      if (nodeId) setTree((t) => withError(t, nodeId, errorText(e)))
      else setError(errorText(e))
    }
  }
  const connect = () => {
    setTree(fresh())
    setPicks({})
    setError(null)
    setSecurity(null)
    void browse(ROOT)
  }
  const trust = async (thumbprint: string) => {
    try {
      await call('opcua.trust', { endpoint, thumbprint })
      connect()
    } catch (e) {
      setError(errorText(e))
    }
  }
  const open = (id: string) => {
    const e = tree[id]
    setTree(toggled(tree, id))
    if (e && !e.open && e.children === null) void browse(id)
  }
  const pick = (id: string, tag: string | null) =>
    setPicks(({ [id]: _, ...rest }) => (tag === null ? rest : { ...rest, [id]: tag }))

  const rows = visibleRows(tree, tree[ROOT]?.children ?? [])
  const out = sourceBlock({ endpoint, securityMode, ...(user && { user }) }, picks, 1000)
  return (
    <div className="opcua-browser" data-testid="opcua-browser">
      <h2>Browse an OPC UA server</h2>
      <form className="opcua-connect" onSubmit={(e) => (e.preventDefault(), connect())}>
        <input
          aria-label="Endpoint"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
          size={36}
        />
        <select
          aria-label="Security mode"
          value={securityMode}
          onChange={(e) => setMode(e.target.value as typeof securityMode)}
        >
          <option value="auto">most secure offered</option>
          <option>SignAndEncrypt</option>
          <option>Sign</option>
          <option>None</option>
        </select>
        <input
          aria-label="User (empty: anonymous)"
          placeholder="user (empty: anonymous)"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        {username && (
          <input
            aria-label="Password secret"
            placeholder="password secret name"
            value={passwordSecret}
            onChange={(e) => setSecret(e.target.value)}
          />
        )}
        <button type="submit">Browse</button>
      </form>
      {error && <p className="banner banner-warning">{error}</p>}
      {untrusted && (
        <div className="banner banner-warning" data-testid="opcua-untrusted">
          <p>
            The server's certificate is not trusted: <b>{untrusted.subject}</b>, thumbprint{' '}
            <code>{untrusted.thumbprint}</code>, valid {untrusted.validFrom.slice(0, 10)} to{' '}
            {untrusted.validTo.slice(0, 10)}. Check the thumbprint with the server's administrator before
            trusting it.
          </p>
          <button onClick={() => void trust(untrusted.thumbprint)}>Trust this certificate</button>
        </div>
      )}
      {security && <p className="muted">Session security: {security}</p>}
      {rows.length > 0 && (
        <table className="grid opcua-tree">
          <tbody>
            {rows.map((r) => (
              <tr key={r.node.nodeId}>
                <td className={`depth-${Math.min(r.depth, 8)}`}>
                  {r.node.hasChildren ? (
                    <button
                      className="link tree-toggle"
                      aria-expanded={r.open}
                      onClick={() => open(r.node.nodeId)}
                    >
                      {r.open ? '▾' : '▸'} {r.node.displayName}
                    </button>
                  ) : (
                    <span>{r.node.displayName}</span>
                  )}
                  {r.loading && <span className="muted"> browsing…</span>}
                  {r.error && <span className="cell-low"> {r.error}</span>}
                </td>
                <td className="muted">
                  {r.node.nodeClass === 'Variable' ? r.node.dataType : r.node.nodeClass}
                </td>
                <td className="num">{shown(r.node.value)}</td>
                <td>
                  {r.node.nodeClass === 'Variable' && (
                    <label>
                      <input
                        type="checkbox"
                        checked={r.node.nodeId in picks}
                        onChange={(e) =>
                          pick(r.node.nodeId, e.target.checked ? suggestTagId(r.node.browseName) : null)
                        }
                      />{' '}
                      {r.node.nodeId in picks && (
                        <input
                          aria-label={`Tag for ${r.node.nodeId}`}
                          value={picks[r.node.nodeId]}
                          onChange={(e) => pick(r.node.nodeId, e.target.value)}
                        />
                      )}
                    </label>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {Object.keys(picks).length > 0 &&
        (out.block ? (
          <pre className="opcua-block" data-testid="opcua-block">
            {JSON.stringify(out.block, null, 2)}
          </pre>
        ) : (
          <ul className="cell-low">
            {out.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ))}
    </div>
  )
}
