#!/usr/bin/python3
"""Trains compressor-rf, C-201's random-forest anomaly classifier, and writes model.onnx, model.json
and golden.json.

    node models/compressor-rf/make-data.ts /tmp/compressor-rf-data
    /usr/bin/python3 models/compressor-rf/train.py /tmp/compressor-rf-data

Method, as the compressor design says: rolling mean and standard deviation features over a
30 s window of the 14 tags, min-max scaled, and a random forest on them. The graph computes the
features itself from the scaled window; its trees are the fitted forest's, converted by
models/__common__/sklearn_trees_onnx.py. A z-score rule on the same features is measured the
same way beside it, so the figures mean something.
"""
import hashlib
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from onnx import TensorProto, checker, helper, numpy_helper
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '__common__'))
import ort_node  # noqa: E402
from sklearn_trees_onnx import near_threshold_rows, tree_ensemble_classifier  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else '/tmp/compressor-rf-data'
VERSION = '1.0.0'
# Depth 16 with 20-sample leaves: at depth 10-12 the trees spent their splits on the process faults and
# found almost no stuck sensors (0.3 % of validation windows, against 71 % at depth 16).
TREES, DEPTH, MIN_LEAF = 60, 16, 20
TRAIN_STRIDE = 2  # neighbouring windows share 29 of 30 samples
FALSE_WINDOWS = 0.001  # the threshold rule: at most this share of validation normal windows flagged
MERGE_S = 60  # flagged windows closer than this are one alarm
OPSET, ML_OPSET = 17, 3

rng = np.random.default_rng(0)
meta = json.load(open(os.path.join(DATA, 'meta.json')))
TAGS, W = meta['tags'], meta['window']
F = len(TAGS)
FEATURES = [f'mean:{t}' for t in TAGS] + [f'std:{t}' for t in TAGS]


def load(split):
    """Runs of one split: (run meta, t [n], state [n], raw values [n, tags])."""
    a = pd.read_csv(os.path.join(DATA, f'{split}.csv')).to_numpy()
    out = []
    for r in [r for r in meta['runs'] if r['split'] == split]:
        rows = a[a[:, 0] == r['run']]
        out.append((r, rows[:, 1], rows[:, 2].astype(int), rows[:, 3:]))
    return out


runs = {s: load(s) for s in ['train', 'val', 'test']}
normal_train = [x for r, _, _, x in runs['train'] if r['group'] == 'normal']
lo = np.min([x.min(axis=0) for x in normal_train], axis=0).round(5)
hi = np.max([x.max(axis=0) for x in normal_train], axis=0).round(5)
span = np.where(hi > lo, hi - lo, 1.0)  # as the engine: a tag with max = min scales by 1


def scale(x):
    return ((x - lo) / span).astype(np.float32)


def windows(xs):
    """All stride-1 windows of scaled values [n, tags] as a view [n-W+1, W, tags]."""
    return np.lib.stride_tricks.sliding_window_view(xs, W, axis=0).transpose(0, 2, 1)


def features(w):
    """Per-tag mean and population standard deviation over each window, float32 as the graph computes them."""
    m = w.mean(axis=1, dtype=np.float32)
    d = w - m[:, None, :]
    return np.concatenate([m, np.sqrt((d * d).mean(axis=1, dtype=np.float32))], axis=1)


def run_windows(run):
    """A run's window features [k, 2 tags], each window's state (that of its last sample) and its end time."""
    r, t, state, x = run
    return features(windows(scale(x))), state[W - 1:], t[W - 1:]


def dataset(split, stride):
    fs, ys = [], []
    for run in runs[split]:
        f, s, _ = run_windows(run)
        keep = s[::stride] != 2
        fs.append(f[::stride][keep])
        ys.append(s[::stride][keep])
    return np.concatenate(fs), np.concatenate(ys)


x_train, y_train = dataset('train', TRAIN_STRIDE)
print(f'train windows {len(y_train)} ({int(y_train.sum())} anomalous)', flush=True)
t0 = time.time()
rf = RandomForestClassifier(n_estimators=TREES, max_depth=DEPTH, min_samples_leaf=MIN_LEAF, max_features='sqrt',
                            n_jobs=2, random_state=0).fit(x_train, y_train)
train_s = time.time() - t0
print(f'forest fitted in {train_s:.0f} s, {sum(e.tree_.node_count for e in rf.estimators_)} nodes', flush=True)

# The baseline: a z-score rule on the same features, |f - normal mean| / normal std, the largest over features.
normal_f = x_train[y_train == 0]
z_mean, z_std = normal_f.mean(axis=0), np.maximum(normal_f.std(axis=0), 1e-6)
scorers = {
    'forest': lambda f: rf.predict_proba(f)[:, 1],
    'zscore': lambda f: np.abs((f - z_mean) / z_std).max(axis=1),
}


def scored(split):
    """Per run: (run meta, window end times, window states, {scorer: scores})."""
    out = []
    for run in runs[split]:
        f, s, t = run_windows(run)
        out.append((run[0], t, s, {k: fn(f) for k, fn in scorers.items()}))
    return out


val, test = scored('val'), scored('test')


def pick_threshold(name):
    """The rule: the (1 - FALSE_WINDOWS) quantile of the score over every normal validation window,
    the forest's rounded up to 0.01 (validation normal: 3 normal runs and the lead-in of each fault run)."""
    s = np.concatenate([sc[name][st == 0] for _, _, st, sc in val])
    q = float(np.quantile(s, 1 - FALSE_WINDOWS))
    return (max(0.01, np.ceil(q * 100) / 100) if name == 'forest' else q), len(s)


thresholds = {k: pick_threshold(k)[0] for k in scorers}
val_normal_windows = pick_threshold('forest')[1]
print('thresholds', thresholds, f'from {val_normal_windows} normal validation windows', flush=True)


def alarms(flag):
    """Start indices of alarms: runs of flagged windows, merged when less than MERGE_S windows apart."""
    idx = np.nonzero(flag)[0]
    if not len(idx):
        return idx
    return idx[np.concatenate([[True], np.diff(idx) > MERGE_S])]


def evaluate(name, split_runs):
    thr = thresholds[name]
    ys, ss = [], []
    normal_hours, false_alarms = 0.0, 0
    per_fault = {}
    for r, t, st, sc in split_runs:
        s = sc[name]
        flag = s > thr
        keep = st != 2
        ys.append(st[keep])
        ss.append(s[keep])
        normal = st == 0
        normal_hours += normal.sum() / 3600
        false_alarms += int(sum(normal[k] for k in alarms(flag)))
        if r['group'] == 'normal':
            continue
        since = r['faults'][0]['since']
        onset = t[np.argmax(st == 1)] if (st == 1).any() else np.nan
        hit = np.nonzero(flag & (t >= since))[0]
        d = per_fault.setdefault(r['group'], {'runs': 0, 'detected': 0, 'fromFault': [], 'fromVisible': [],
                                              'anomalousWindows': 0, 'flagged': 0, 'seeds': []})
        d['runs'] += 1
        d['seeds'].append(r['seed'])
        d['anomalousWindows'] += int((st == 1).sum())
        d['flagged'] += int((flag & (st == 1)).sum())
        if len(hit):
            d['detected'] += 1
            d['fromFault'].append(float((t[hit[0]] - since) / 1000))
            if onset == onset:  # a spike run may hold no spike big enough to count as visible
                d['fromVisible'].append(float((t[hit[0]] - onset) / 1000))
    y, s = np.concatenate(ys), np.concatenate(ss)
    p = s > thr
    tp, fp, fn = int((p & (y == 1)).sum()), int((p & (y == 0)).sum()), int((~p & (y == 1)).sum())
    prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
    out = {
        'threshold': round(thr, 6),
        'windows': int(len(y)),
        'precision': round(prec, 4),
        'recall': round(rec, 4),
        'f1': round(2 * prec * rec / max(1e-12, prec + rec), 4),
        'rocAuc': round(float(roc_auc_score(y, s)), 5),
        'falseAlarmsPerHour': round(false_alarms / normal_hours, 4),
        'falseAlarms': false_alarms,
        'normalHours': round(normal_hours, 2),
        'falseWindowRate': round(float(p[y == 0].mean()), 6),
        'faults': {},
    }
    for kind, d in per_fault.items():
        med = lambda v: round(float(np.median(v)), 1) if v else None  # noqa: E731
        out['faults'][kind] = {
            'runs': d['runs'], 'seeds': d['seeds'], 'detected': d['detected'],
            'windowRecall': round(d['flagged'] / max(1, d['anomalousWindows']), 4),
            'delayFromFaultS': {'median': med(d['fromFault']), 'max': max(d['fromFault'], default=None)},
            'delayFromVisibleS': {'median': med(d['fromVisible']), 'max': max(d['fromVisible'], default=None)},
        }
    return out


metrics = {'windowStride': 1, 'alarm': f'flagged windows less than {MERGE_S} s apart are one alarm'}
for split, sr in [('val', val), ('test', test)]:
    metrics[split] = {k: evaluate(k, sr) for k in scorers}
    for k in scorers:
        print(split, k, json.dumps(metrics[split][k]), flush=True)

imp = rf.feature_importances_
metrics['featureImportance'] = {n: round(float(v), 5) for n, v in zip(FEATURES, imp)}
metrics['tagImportance'] = {t: round(float(imp[j] + imp[F + j]), 5) for j, t in enumerate(TAGS)}
print('tag importance', json.dumps(dict(sorted(metrics['tagImportance'].items(), key=lambda kv: -kv[1]))))

# ---- the graph: window -> per-tag mean and std -> the forest -> P(anomaly)
forest_nodes, forest_inits = tree_ensemble_classifier(rf, 'features', 'label', 'probabilities')


def model_proto(nodes, inputs, outputs, initializers=()):
    g = helper.make_graph(nodes, 'compressor_rf', inputs, outputs, initializer=list(initializers))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid('', OPSET), helper.make_opsetid('ai.onnx.ml', ML_OPSET)],
                          producer_name='vigil models/compressor-rf/train.py')
    m.ir_version = 8
    checker.check_model(m)
    return m


column1 = numpy_helper.from_array(np.array(1, dtype=np.int64), 'column1')
zero = numpy_helper.from_array(np.array(0, dtype=np.float32), 'zero')
nodes = [
    helper.make_node('ReduceMean', ['window'], ['mean'], axes=[1], keepdims=0),
    helper.make_node('ReduceMean', ['window'], ['mean_k'], axes=[1], keepdims=1),
    helper.make_node('Sub', ['window', 'mean_k'], ['dev']),
    helper.make_node('Mul', ['dev', 'dev'], ['dev2']),
    helper.make_node('ReduceMean', ['dev2'], ['var'], axes=[1], keepdims=0),
    helper.make_node('Sqrt', ['var'], ['std']),
    helper.make_node('Concat', ['mean', 'std'], ['features'], axis=1),
    *forest_nodes,
    helper.make_node('Gather', ['probabilities', 'column1'], ['p_forest'], axis=1),
    # Trees send a NaN feature down a branch like any number; a window holding a NaN (a dropout)
    # must score NaN so Vigil reports bad data rather than a confident NORMAL: add 0 x the features' sum.
    helper.make_node('ReduceMean', ['features'], ['feature_sum'], axes=[1], keepdims=0),
    helper.make_node('Mul', ['feature_sum', 'zero'], ['nan_or_zero']),
    helper.make_node('Add', ['p_forest', 'nan_or_zero'], ['p_anomaly']),
]
model = model_proto(
    nodes,
    [helper.make_tensor_value_info('window', TensorProto.FLOAT, ['batch', W, F])],
    [helper.make_tensor_value_info('p_anomaly', TensorProto.FLOAT, ['batch']),
     helper.make_tensor_value_info('features', TensorProto.FLOAT, ['batch', 2 * F])],
    [column1, zero, *forest_inits])
onnx_path = os.path.join(HERE, 'model.onnx')
open(onnx_path, 'wb').write(model.SerializeToString())
size = os.path.getsize(onnx_path)
print(f'model.onnx {size / 1e6:.2f} MB', flush=True)
assert size < 2e6, 'model.onnx must stay under 2 MB: fewer or shallower trees'

# ---- checks against sklearn, with onnxruntime (Vigil's runtime)
# 1. The converted trees alone, on held-out features and on features moved onto split thresholds.
x_test, y_test = dataset('test', 7)
probe = np.concatenate([x_test[:4000], near_threshold_rows(rf, x_test, rng, 4000)])
trees_only = model_proto(forest_nodes, [helper.make_tensor_value_info('features', TensorProto.FLOAT, ['batch', 2 * F])],
                         [helper.make_tensor_value_info('probabilities', TensorProto.FLOAT, ['batch', 2]),
                          helper.make_tensor_value_info('label', TensorProto.INT64, ['batch'])], forest_inits)
tmp = os.path.join(DATA, 'trees-only.onnx')
open(tmp, 'wb').write(trees_only.SerializeToString())
got = ort_node.run(tmp, probe)
want = rf.predict_proba(probe)
tree_diff = float(np.abs(got['probabilities'] - want).max())
label_agree = float((got['label'] == rf.predict(probe)).mean())
print(f'trees only: max |onnx - sklearn| {tree_diff:.2e} over {len(probe)} rows, half on split thresholds; '
      f'labels agree on {label_agree:.2%}')
assert tree_diff < 1e-5, tree_diff

# 2. The whole graph on held-out windows: sklearn on the graph's own features must give its P(anomaly);
#    and numpy's float32 features (how the metrics above were computed) against the graph's.
pick = []
for r, t, st, x in runs['test']:
    k = rng.choice(len(x) - W + 1, 150, replace=False)
    pick.append(np.stack([scale(x[i:i + W]) for i in k]))
win = np.concatenate(pick)
out = ort_node.run(onnx_path, win)
graph_diff = float(np.abs(out['p_anomaly'] - rf.predict_proba(out['features'])[:, 1]).max())
feat_diff = float(np.abs(out['features'] - features(win)).max())
numpy_p = rf.predict_proba(features(win))[:, 1]
flips = int(((numpy_p > thresholds['forest']) != (out['p_anomaly'] > thresholds['forest'])).sum())
print(f'graph: max |p_anomaly - sklearn(graph features)| {graph_diff:.2e} over {len(win)} windows; '
      f'features vs numpy max {feat_diff:.2e}; decisions differing from numpy features {flips}')
assert graph_diff < 1e-5, graph_diff
metrics['onnxCheck'] = {
    'treesOnlyMaxAbsDiff': tree_diff, 'treesOnlyLabelsAgree': label_agree, 'treesOnlyRows': len(probe), 'rowsOnSplitThresholds': 4000,
    'graphMaxAbsDiff': graph_diff, 'graphWindows': len(win), 'featuresVsNumpyMaxAbsDiff': feat_diff,
    'decisionsDifferingFromNumpyFeatures': flips,
}

# ---- golden: raw windows from the test runs, normal and each fault, and what sklearn says of them
golden_rows = []
for group in ['normal', 'bearing_wear', 'surge', 'fouling', 'sensor_stuck', 'sensor_spike']:
    r, t, st, x = next(run for run in runs['test'] if run[0]['group'] == group)
    ends = [W - 1 + 1800] if group == 'normal' else [int(np.argmax(st == 1)) + 300]
    golden_rows += [x[e - W + 1:e + 1] for e in ends]
raw = np.stack(golden_rows)
g_in = scale(raw)
g_out = ort_node.run(onnx_path, g_in)
golden = {
    'note': 'raw windows [n][window][tags] in card tag order, the scaled float32 input, the graph features and '
            'sklearn predict_proba[:, 1] on them',
    'groups': ['normal', 'bearing_wear', 'surge', 'fouling', 'sensor_stuck', 'sensor_spike'],
    'tags': TAGS,
    'raw': raw.round(5).tolist(),
    'input': g_in.tolist(),
    'features': g_out['features'].tolist(),
    'p_anomaly': rf.predict_proba(g_out['features'])[:, 1].tolist(),
}
json.dump(golden, open(os.path.join(HERE, 'golden.json'), 'w'), allow_nan=False)
print('golden p_anomaly', np.round(golden['p_anomaly'], 4).tolist())

sha = hashlib.sha256(open(onnx_path, 'rb').read()).hexdigest()
seeds = {s: sorted({r['seed'] for r in meta['runs'] if r['split'] == s}) for s in ['train', 'val', 'test']}
card = {
    'id': 'compressor-rf',
    'version': VERSION,
    'kind': 'classifier',
    'assetClass': 'compressor',
    'description': 'Random-forest anomaly classifier for gas-turbine compressor C-201: per-tag mean and standard '
                   f'deviation over 30 s x 14 tag windows, P(anomaly) from {TREES} trees; a window is ANOMALY above the '
                   'threshold.',
    'file': 'model.onnx',
    'sha256': sha,
    'inputs': {'name': 'window', 'tags': TAGS, 'window': W,
               'scaler': {'kind': 'minmax', 'min': lo.tolist(), 'max': hi.tolist()}},
    'outputs': {'name': 'p_anomaly'},
    'threshold': {'value': thresholds['forest'],
                  'method': f'{100 * (1 - FALSE_WINDOWS):g}th percentile of P(anomaly) over the normal validation '
                            'windows (stride 1), rounded up to 0.01'},
    'training': {
        'data': 'Vigil compressor simulator (src/main/sources/simulator), labelled runs made by make-data.ts from runs.ts',
        'rateHz': 1,
        'seeds': seeds,
        'runs': {s: sum(1 for r in meta['runs'] if r['split'] == s) for s in seeds},
        'windows': int(len(y_train)),
        'anomalousWindows': int(y_train.sum()),
        'windowStride': TRAIN_STRIDE,
        'split': 'by seed: normal running (3 h runs) and runs of every fault at several severities and ramps; '
                 'train, validation and test seeds never overlap',
        'labels': 'a window takes the state of its last sample: 0 normal, 1 a fault whose effect is visible (runs.ts), '
                  'windows of a fault not yet visible are left out of training and of the window metrics',
        'features': FEATURES,
        'forest': {'trees': TREES, 'maxDepth': DEPTH, 'minSamplesLeaf': MIN_LEAF, 'maxFeatures': 'sqrt',
                   'randomState': 0, 'nodes': int(sum(e.tree_.node_count for e in rf.estimators_))},
        'trainSeconds': round(train_s),
        'sklearn': __import__('sklearn').__version__,
        'opset': {'ai.onnx': OPSET, 'ai.onnx.ml': ML_OPSET},
        'converter': 'models/__common__/sklearn_trees_onnx.py',
    },
    'metrics': metrics,
}
json.dump(card, open(os.path.join(HERE, 'model.json'), 'w'), indent=2, allow_nan=False)
print(json.dumps({k: metrics['test'][k] for k in scorers}, indent=1))
