#!/usr/bin/python3
"""Checks window_front and dcnn as exported: the EMA matrix equals the recursion it stands for, and an ensemble of
fronted DCNNs (per-tag gain and offset, smoothing, a window of 40) gives in onnxruntime-node what it gives in torch.
    /usr/bin/python3 models/__common__/test_window_front.py   (prints, exits 1 on a miss)"""
import os
import sys
import tempfile

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ort_node  # noqa: E402
from dcnn import Dcnn  # noqa: E402
from lstm import Ensemble  # noqa: E402
from window_front import FrontedRegressor, WindowFront, ema_matrix  # noqa: E402

rng = np.random.default_rng(3)
x = rng.normal(size=(40, 5))
s = np.empty_like(x)
s[0] = x[0]
for t in range(1, len(x)):
    s[t] = 0.3 * x[t] + 0.7 * s[t - 1]
ema_err = float(np.abs(ema_matrix(40, 0.3) @ x - s).max())  # the matrix is float32, as in the graph

torch.manual_seed(0)
tags, window = 14, 40
members = [FrontedRegressor(WindowFront(rng.uniform(0.5, 30, tags), rng.normal(size=tags), window, alpha),
                            Dcnn(tags, window)) for alpha in (None, 0.3)]
ens = Ensemble(members, 125.0).eval()
w = rng.uniform(0, 1, size=(7, window, tags)).astype(np.float32)
with torch.no_grad():
    mean, std = (t.numpy() for t in ens(torch.from_numpy(w)))
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, 'm.onnx')
    torch.onnx.export(ens, torch.from_numpy(w[:2]), path, input_names=['window'], output_names=['rul', 'rul_std'],
                      dynamic_axes={'window': {0: 'batch'}, 'rul': {0: 'batch'}, 'rul_std': {0: 'batch'}},
                      opset_version=17)
    onnx.checker.check_model(onnx.load(path))
    out = ort_node.run(path, w)
ort_err = max(float(np.abs(out['rul'] - mean).max()), float(np.abs(out['rul_std'] - std).max()))
print(f'EMA matrix vs recursion: max error {ema_err:.2e}; onnxruntime-node vs torch: max error {ort_err:.2e} cycles')
# The members differ (one smooths), so a zero spread would mean the front was dropped from the graph.
ok = ema_err < 1e-6 and ort_err < 1e-3 and float(std.min()) > 0
print('ok' if ok else 'MISMATCH')
sys.exit(0 if ok else 1)
