import { VigilError } from '../../shared/errors.ts'

/*
 * Reads an ONNX file's graph inputs and outputs (names and shapes) straight from its protobuf
 * bytes, so the registry can refuse a folder whose card disagrees with its model without
 * opening an inference session. Only the few fields on that path are decoded:
 * ModelProto.graph(7) > GraphProto.input(11)/output(12)/initializer(5) > ValueInfoProto.name(1),
 * type(2) > TypeProto.tensor_type(1) > shape(2) > dim(1) > dim_value(1) | dim_param(2).
 */

/** A dimension is its size, or its symbolic name ('batch') when the graph leaves it free. */
export interface OnnxValue {
  name: string
  shape: (number | string)[]
}

export interface OnnxSignature {
  inputs: OnnxValue[]
  outputs: OnnxValue[]
}

type Visit = (field: number, from: number, to: number, varint: number) => void

/** Calls visit for each field of the message in b[from, to): varints as a value, length-delimited as a range. */
function fields(b: Uint8Array, from: number, to: number, file: string, visit: Visit): void {
  let p = from
  const varint = () => {
    let v = 0
    let mul = 1
    for (;;) {
      if (p >= to) throw new VigilError('model.invalid', `${file}: not an ONNX model (truncated protobuf)`)
      const byte = b[p++]!
      v += (byte & 0x7f) * mul
      if (byte < 0x80) return v
      mul *= 128
    }
  }
  while (p < to) {
    const key = varint()
    const field = Math.floor(key / 8)
    const wire = key & 7
    if (wire === 0) visit(field, p, p, varint())
    else if (wire === 1) p += 8
    else if (wire === 5) p += 4
    else if (wire === 2) {
      const len = varint()
      if (p + len > to)
        throw new VigilError('model.invalid', `${file}: not an ONNX model (field runs past its message)`)
      visit(field, p, p + len, len)
      p += len
    } else throw new VigilError('model.invalid', `${file}: not an ONNX model (protobuf wire type ${wire})`)
  }
}

const text = new TextDecoder()

function valueInfo(b: Uint8Array, from: number, to: number, file: string): OnnxValue {
  const v: OnnxValue = { name: '', shape: [] }
  fields(b, from, to, file, (f, s, e) => {
    if (f === 1) v.name = text.decode(b.subarray(s, e))
    else if (f === 2)
      fields(b, s, e, file, (tf, ts, te) => {
        if (tf !== 1) return
        fields(b, ts, te, file, (sf, ss, se) => {
          if (sf !== 2) return
          fields(b, ss, se, file, (df, ds, de) => {
            if (df !== 1) return
            let dim: number | string = '?'
            fields(b, ds, de, file, (kf, ks, ke, n) => {
              if (kf === 1) dim = n
              else if (kf === 2) dim = text.decode(b.subarray(ks, ke))
            })
            v.shape.push(dim)
          })
        })
      })
  })
  return v
}

export function readOnnxSignature(b: Uint8Array, file: string): OnnxSignature {
  const inputs: OnnxValue[] = []
  const outputs: OnnxValue[] = []
  const initializers = new Set<string>()
  let graphs = 0
  fields(b, 0, b.length, file, (f, s, e) => {
    if (f !== 7) return
    graphs++
    fields(b, s, e, file, (gf, gs, ge) => {
      if (gf === 11) inputs.push(valueInfo(b, gs, ge, file))
      else if (gf === 12) outputs.push(valueInfo(b, gs, ge, file))
      else if (gf === 5)
        fields(b, gs, ge, file, (tf, ts, te) => {
          if (tf === 8) initializers.add(text.decode(b.subarray(ts, te)))
        })
    })
  })
  if (graphs !== 1 || outputs.length === 0)
    throw new VigilError('model.invalid', `${file}: not an ONNX model (no graph)`)
  // Older exporters list weights as graph inputs too; they are not what a caller feeds.
  return { inputs: inputs.filter((i) => !initializers.has(i.name)), outputs }
}
