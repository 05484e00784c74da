import onnxProto from 'onnx-proto'
import type { onnx as Onnx } from 'onnx-proto'

/*
 * The few pieces of an ONNX graph a fitted model needs, as plain objects over onnx-proto's
 * generated protobuf classes, so a writer reads like the graph it builds. Everything is
 * float32 (what onnxruntime runs fastest and what the shipped models use), with int64 only
 * for axes.
 */

const { onnx } = onnxProto
const FLOAT = onnx.TensorProto.DataType.FLOAT
const INT64 = onnx.TensorProto.DataType.INT64

/** ONNX IR 8 with the default domain at opset 13: every onnxruntime since 1.10 runs it. */
export const IR_VERSION = 8
export const OPSET = 13

/** A float32 constant; values are rounded to float32 here, once. */
export function floats(name: string, dims: number[], values: ArrayLike<number>): Onnx.ITensorProto {
  const size = dims.reduce((a, b) => a * b, 1)
  if (values.length !== size) throw new Error(`onnx: ${name} has ${values.length} values for dims [${dims}]`)
  return { name, dims, dataType: FLOAT, floatData: Array.from(Float32Array.from(values)) }
}

export function int64s(name: string, values: number[]): Onnx.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: values }
}

type Attr = number | number[]

/** One operator; integer attributes only (all the operators used here need). */
export function node(
  op: string,
  inputs: string[],
  output: string,
  attrs: Record<string, Attr> = {},
): Onnx.INodeProto {
  return {
    name: output,
    opType: op,
    input: inputs,
    output: [output],
    attribute: Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
        : { name, type: onnx.AttributeProto.AttributeType.INT, i: v },
    ),
  }
}

/** A float32 graph input or output; a string dimension is symbolic ('batch'). */
export function tensorValue(name: string, dims: (number | string)[], doc = ''): Onnx.IValueInfoProto {
  return {
    name,
    docString: doc,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  }
}

export interface GraphSpec {
  name: string
  doc: string
  nodes: Onnx.INodeProto[]
  initializers: Onnx.ITensorProto[]
  inputs: Onnx.IValueInfoProto[]
  outputs: Onnx.IValueInfoProto[]
  /** Written as the model's metadata_props: readable by any ONNX tool (Netron shows them). */
  metadata: Record<string, string>
}

/** The encoded .onnx file. */
export function encodeModel(g: GraphSpec, producerVersion: string): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'vigil',
    producerVersion,
    docString: g.doc,
    graph: {
      name: g.name,
      docString: g.doc,
      node: g.nodes,
      initializer: g.initializers,
      input: g.inputs,
      output: g.outputs,
    },
    metadataProps: Object.entries(g.metadata).map(([key, value]) => ({ key, value })),
  }).finish()
}
