// src/shared compiles with no Node and no DOM types, so that neither can creep in. These two
// exist alike in Node, Chromium and Electron, and the wire format needs them.
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
declare class TextDecoder {
  constructor(label?: string)
  decode(input?: Uint8Array): string
}
