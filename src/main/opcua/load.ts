export type Opcua = typeof import('node-opcua')

let loading: Promise<Opcua> | null = null

/**
 * node-opcua, loaded on first use: it takes over a second to import, and a plant without an
 * OPC UA server should not pay that at every start. Its own warnings (a refused
 * certificate, a lost socket) are dropped unless VIGIL_OPCUA_DEBUG is set: Vigil reports
 * each of them as source status, with the reason and what to do.
 */
export function loadOpcua(): Promise<Opcua> {
  return (loading ??= import('node-opcua').then((m) => {
    if (!process.env.VIGIL_OPCUA_DEBUG) {
      m.setWarningLogger(() => {})
      m.setErrorLogger(() => {})
    }
    return m
  }))
}
