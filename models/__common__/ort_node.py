"""Runs an ONNX graph with onnxruntime-node (ort-run.ts) from Python: Debian has no Python
onnxruntime, and checking with the runtime Vigil itself scores with is the point anyway."""
import json
import os
import subprocess
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {'float32': np.float32, 'int64': np.int64, 'float64': np.float64, 'int32': np.int32}


def run(model_path, x):
    """Every output of the graph at model_path for float32 input x, as {name: array}."""
    x = np.ascontiguousarray(x, dtype='<f4')
    with tempfile.TemporaryDirectory() as d:
        inp = os.path.join(d, 'input.f32')
        x.tofile(inp)
        subprocess.run(['node', os.path.join(HERE, 'ort-run.ts'), model_path, inp, ','.join(map(str, x.shape)), d],
                       check=True)
        outs = {}
        for i, o in enumerate(json.load(open(os.path.join(d, 'outputs.json')))):
            a = np.fromfile(os.path.join(d, f'{i}.bin'), dtype=DTYPES[o['type']])
            outs[o['name']] = a.reshape(o['dims'])
        return outs
