#!/usr/bin/python3
"""Checks sklearn_trees_onnx against sklearn with onnxruntime-node, on forests unlike compressor-rf's:
three classes, a single tree, class weights, and inputs placed on, just above and just below split
thresholds.   /usr/bin/python3 models/__common__/test_sklearn_trees_onnx.py   (prints, exits 1 on a miss)"""
import os
import sys
import tempfile

import numpy as np
from onnx import TensorProto, checker, helper
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ort_node  # noqa: E402
from sklearn_trees_onnx import float32_at_or_below, near_threshold_rows, tree_ensemble_classifier  # noqa: E402

rng = np.random.default_rng(1)
# float32 thresholds round down: every float32 x compares to them as to the float64 threshold
t64 = rng.normal(size=10000) * 10.0 ** rng.integers(-3, 4, 10000)
t32 = float32_at_or_below(t64)
assert (t32.astype(np.float64) <= t64).all() and (np.nextafter(t32, np.float32(np.inf)).astype(np.float64) > t64).all()

x = rng.normal(size=(3000, 6)).astype(np.float32)
x[:, 2] = np.round(x[:, 2], 1)  # ties and repeated values make thresholds midpoints of close floats
y3 = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int) + (x[:, 3] > 1).astype(int)
models = {
    'forest, 3 classes, class weights': RandomForestClassifier(20, max_depth=8, class_weight='balanced', random_state=0).fit(x, y3),
    'single tree, labels 3 and 7': DecisionTreeClassifier(max_depth=12, random_state=0).fit(x, np.where(y3 > 0, 7, 3)),
    'extra trees, binary': ExtraTreesClassifier(15, min_samples_leaf=3, random_state=0).fit(x, (y3 > 0).astype(int)),
}
worst = 0.0
with tempfile.TemporaryDirectory() as d:
    for name, m in models.items():
        nodes, inits = tree_ensemble_classifier(m, 'x', 'label', 'proba')
        g = helper.make_graph(nodes, 't', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['n', 6])],
                              [helper.make_tensor_value_info('label', TensorProto.INT64, ['n']),
                               helper.make_tensor_value_info('proba', TensorProto.FLOAT, ['n', len(m.classes_)])],
                              initializer=inits)
        mp = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid('ai.onnx.ml', 3)])
        mp.ir_version = 8
        checker.check_model(mp)
        path = os.path.join(d, 'm.onnx')
        open(path, 'wb').write(mp.SerializeToString())
        probe = np.concatenate([rng.normal(size=(1000, 6)).astype(np.float32), near_threshold_rows(m, x, rng, 3000)])
        out = ort_node.run(path, probe)
        diff = float(np.abs(out['proba'] - m.predict_proba(probe)).max())
        # sklearn's predict is the argmax of predict_proba; float sums may order a near tie differently.
        labels_ok = bool((m.predict(probe) == out['label']).mean() > 0.999)
        print(f'{name}: max |onnx - sklearn| {diff:.2e} over {len(probe)} rows (3000 on thresholds); labels agree {labels_ok}')
        worst = max(worst, diff)
        if not labels_ok:
            worst = 1.0
sys.exit(0 if worst < 1e-5 else 1)
