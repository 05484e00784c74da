#!/usr/bin/python3
"""Trains skab-ae, pump-ae's LSTM autoencoder on the real SKAB water-pump testbed, and writes
model.onnx, model.json and golden.json.

    /usr/bin/python3 models/skab-ae/train.py [datasets/skab]

Data: SKAB (waico/SKAB v0.9), the 9,405-row anomaly-free file plus the first 400 rows of each
labelled file (the part SKAB's protocol lets a detector fit on), except other/2.csv whose
first 400 rows are mostly anomalous (SOURCE.md). The anomaly-free file's last 1,500 rows pick
the best epoch. Method as pump-ae: MinMax scaling, LSTM encoder/decoder, MAE loss, threshold
at the 99th percentile of the training windows' error. Evaluation: SKAB's protocol, every
labelled file's rows after the first 400 scored, TP/FP/FN/TN pooled over files.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '__common__'))
from lstm import LstmAutoencoder, sha256, windows  # noqa: E402

DATASETS = os.environ.get('VIGIL_DATASETS', os.path.join(HERE, '..', '..', '..', 'shared', 'datasets'))
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATASETS, 'skab')
WINDOW = int(os.environ.get('SKAB_WINDOW', '30'))
HIDDEN = 32
EPOCHS = int(os.environ.get('TRAIN_EPOCHS', '8'))
SMOOTH = int(os.environ.get('SKAB_SMOOTH', '5'))  # windows averaged (causally) before the per-file threshold
FILE_FACTOR = 1.0  # per-file threshold: this x the 99th percentile of the file's first-400-row window errors
TRAIN_ROWS = 400
VAL_ROWS = 1500
VERSION = '1.0.0'
TAGS = ['Accelerometer1RMS', 'Accelerometer2RMS', 'Current', 'Pressure', 'Temperature', 'Thermocouple', 'Voltage',
        'Volume Flow RateRMS']
CONTAMINATED = {'other/2.csv'}  # SOURCE.md: 296 of its first 400 rows are labelled anomalous

torch.manual_seed(0)
np.random.seed(0)
torch.set_num_threads(1)  # the build machine's 2 cores are shared


def read(path):
    d = pd.read_csv(os.path.join(ROOT, path), sep=';')
    missing = [t for t in TAGS if t not in d.columns]
    if missing:
        sys.exit(f'{path}: no column {missing[0]!r}')
    x = d[TAGS].to_numpy(np.float64)
    if not np.isfinite(x).all():
        r, c = np.argwhere(~np.isfinite(x))[0]
        sys.exit(f'{path}:{r + 2}: column {TAGS[c]!r} is not a number')
    return x, (d['anomaly'].to_numpy() > 0.5) if 'anomaly' in d.columns else None


FILES = [f'{g}/{f}' for g in ['valve1', 'valve2', 'other']
         for f in sorted(os.listdir(os.path.join(ROOT, g)), key=lambda s: int(s.split('.')[0])) if f.endswith('.csv')]
labelled = {f: read(f) for f in FILES}
free, _ = read('anomaly-free/anomaly-free.csv')

fit_parts = [free[:-VAL_ROWS]] + [x[:TRAIN_ROWS] for f, (x, _) in labelled.items() if f not in CONTAMINATED]
lo = np.min([p.min(axis=0) for p in fit_parts], axis=0).round(5)
hi = np.max([p.max(axis=0) for p in fit_parts], axis=0).round(5)
scale = lambda x: ((x - lo) / np.where(hi > lo, hi - lo, 1)).astype(np.float32)
train_w = np.concatenate([windows(scale(p), WINDOW) for p in fit_parts])
val_w = windows(scale(free[-VAL_ROWS:]), WINDOW)
print(f'window {WINDOW}: train windows {len(train_w)}, val windows {len(val_w)}', flush=True)


def score(model, w):
    """Per-window mean absolute error of scaled windows, and the per-tag mean absolute errors [n, tags]."""
    model.eval()
    errs = []
    with torch.no_grad():
        for i in range(0, len(w), 4096):
            xb = torch.from_numpy(w[i:i + 4096])
            errs.append((model(xb) - xb).abs().mean(dim=1).numpy())
    per_tag = np.concatenate(errs) if errs else np.zeros((0, len(TAGS)), np.float32)
    return per_tag.mean(axis=1), per_tag


model = LstmAutoencoder(len(TAGS), HIDDEN)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
loss_fn = nn.L1Loss()
t0 = time.time()
best, best_state = float('inf'), None
for epoch in range(1, EPOCHS + 1):
    model.train()
    perm = np.random.permutation(len(train_w))
    for i in range(0, len(perm), 128):
        xb = torch.from_numpy(train_w[perm[i:i + 128]])
        opt.zero_grad()
        loss = loss_fn(model(xb), xb)
        loss.backward()
        opt.step()
    v = float(score(model, val_w)[0].mean())
    sched.step(v)
    print(f'epoch {epoch} val MAE {v:.5f} ({time.time() - t0:.0f} s)', flush=True)
    if v < best:
        best, best_state = v, {k: t.clone() for k, t in model.state_dict().items()}
model.load_state_dict(best_state)
train_s = time.time() - t0

raw_err, raw_tag = score(model, train_w)
raw_base = raw_tag.mean(axis=0, dtype=np.float64)
print('raw error baseline', dict(zip(TAGS, raw_base.round(5))), flush=True)


class NormalisedError(nn.Module):
    """The autoencoder with each sensor's deviation from its input divided by that sensor's normal error:
    out = x + (reconstruction - x) * mean(b) / b_j. Vigil's scorer takes the MAE of out - x, so every sensor
    counts in units of its own normal error. Without it the noisy voltage and current (normal error 0.15 and
    0.11 of their range) drown the accelerometers, flow and temperatures (0.005-0.01), where the faults show."""

    def __init__(self, ae, base):
        super().__init__()
        self.ae = ae
        self.register_buffer('gain', torch.tensor(base.mean() / base, dtype=torch.float32))

    def forward(self, x):
        return x + (self.ae(x) - x) * self.gain


model = NormalisedError(model, raw_base).eval()
train_err, train_tag = score(model, train_w)
threshold = float(np.percentile(train_err, 99))
base = train_tag.mean(axis=0, dtype=np.float64)
print(f'threshold {threshold:.5f}; normalised error baseline', dict(zip(TAGS, base.round(5))), flush=True)


def smooth(e, k):
    """Causal mean of each window's error with the k-1 before it (fewer at the file's start)."""
    c = np.cumsum(np.concatenate([[0.0], e]))
    i = np.arange(1, len(e) + 1)
    return (c[i] - c[np.maximum(0, i - k)]) / np.minimum(i, k)


def confusion(alarm, y):
    return np.array([(alarm & y).sum(), (alarm & ~y).sum(), (~alarm & y).sum(), (~alarm & ~y).sum()])


def figures(c):
    tp, fp, fn, tn = (int(v) for v in c)
    return {'f1': round(tp / (tp + (fp + fn) / 2), 4), 'farPct': round(100 * fp / (fp + tn), 2),
            'marPct': round(100 * fn / (fn + tp), 2), 'tp': tp, 'fp': fp, 'fn': fn, 'tn': tn}


# Every row from WINDOW-1 on ends a window; rows >= TRAIN_ROWS are scored, rows before calibrate.
errors = {f: score(model, windows(scale(x), WINDOW))[0] for f, (x, _) in labelled.items()}
variants = {
    'card threshold, per window': lambda e: (e, threshold),
    f'card threshold, mean of {SMOOTH} windows': lambda e: (smooth(e, SMOOTH), threshold),
    'per-file threshold, per window': lambda e: (e, FILE_FACTOR * np.percentile(e[:TRAIN_ROWS - WINDOW + 1], 99)),
    f'per-file threshold, mean of {SMOOTH} windows': lambda e: (
        smooth(e, SMOOTH), FILE_FACTOR * np.percentile(smooth(e, SMOOTH)[:TRAIN_ROWS - WINDOW + 1], 99)),
}
skab = {}
for name, rule in variants.items():
    pooled = np.zeros(4, int)
    for f, (x, y) in labelled.items():
        s, thr = rule(errors[f])
        pooled += confusion(s[TRAIN_ROWS - WINDOW + 1:] > thr, y[TRAIN_ROWS:])
    skab[name] = figures(pooled)
    print(f'{name:45s}', skab[name], flush=True)
everything = np.zeros(4, int)
for f, (x, y) in labelled.items():
    everything += confusion(np.ones(len(y) - TRAIN_ROWS, bool), y[TRAIN_ROWS:])
skab['flag every row'] = figures(everything)
free_far = float((score(model, val_w)[0] > threshold).mean())

onnx_path = os.path.join(HERE, 'model.onnx')
model.eval()
torch.onnx.export(model, torch.from_numpy(train_w[:2]), onnx_path, input_names=['window'],
                  output_names=['reconstruction'], dynamic_axes={'window': {0: 'batch'}, 'reconstruction': {0: 'batch'}},
                  opset_version=17)
import onnx  # noqa: E402

onnx.checker.check_model(onnx.load(onnx_path))

gold = [free[:WINDOW], free[-WINDOW:]]
for f in ['valve1/0.csv', 'other/9.csv']:
    x, y = labelled[f]
    k = int(np.argmax(y)) + 100
    gold.append(x[k - WINDOW + 1:k + 1])
raw = np.stack(gold)
inp = scale(raw)
with torch.no_grad():
    rec = model(torch.from_numpy(inp)).numpy()
json.dump({
    'note': 'raw windows [n][window][tags] in card tag order (anomaly-free start and end, 100 rows into the anomaly '
            'of valve1/0.csv and other/9.csv), the scaled float32 input, and what torch produced',
    'tags': TAGS, 'raw': raw.tolist(), 'input': inp.tolist(), 'reconstruction': rec.tolist(),
    'score': np.abs(rec - inp).mean(axis=(1, 2)).tolist(),
}, open(os.path.join(HERE, 'golden.json'), 'w'))

card = {
    'id': 'skab-ae',
    'version': VERSION,
    'kind': 'autoencoder',
    'assetClass': 'pump',
    'description': f'LSTM autoencoder for the SKAB water-pump testbed (Skoltech): reconstruction error of {WINDOW}-row x '
                   '8-sensor windows at ~1 Hz, each sensor in units of its normal error; a window is ANOMALY when its '
                   'mean passes the threshold.',
    'file': 'model.onnx',
    'sha256': sha256(onnx_path),
    'inputs': {'name': 'window', 'tags': TAGS, 'window': WINDOW,
               'scaler': {'kind': 'minmax', 'min': lo.tolist(), 'max': hi.tolist()},
               'errorBaseline': [float(f'{b:.6g}') for b in base]},
    'outputs': {'name': 'reconstruction'},
    'threshold': {'value': round(threshold, 6),
                  'method': '99th percentile of per-window MAE over all stride-1 training windows'},
    'label': 'anomaly',
    'training': {
        'data': 'SKAB v0.9 (waico/SKAB b2c0d46): anomaly-free.csv rows 0:7905 and rows 0:400 of each labelled file '
                'but other/2.csv; anomaly-free.csv rows 7905:9405 choose the epoch',
        'rateHz': 1,
        'split': "SKAB's protocol: each labelled file's first 400 rows may fit or calibrate, the rest is scored",
        'windows': int(len(train_w)),
        'architecture': f'LSTM({len(TAGS)}->{HIDDEN}) -> repeat x{WINDOW} -> LSTM({HIDDEN}->{HIDDEN}) -> '
                        f'Linear({HIDDEN}->{len(TAGS)})',
        'loss': 'L1 (MAE)',
        'errorWeighting': {'note': 'the graph outputs x + (reconstruction - x) * mean(b) / b_j, so the MAE Vigil scores counts '
                                   'each sensor in units of its normal error b_j (the raw autoencoder\'s mean absolute '
                                   'error per sensor over the training windows, below)',
                           'rawErrorBaseline': [float(f'{b:.6g}') for b in raw_base]},
        'optimizer': 'Adam lr 3e-3, batch 128, best validation epoch kept',
        'epochs': EPOCHS,
        'seed': 0,
        'trainSeconds': round(train_s),
        'torch': torch.__version__,
        'opset': 17,
    },
    'metrics': {
        'trainMae': round(float(train_err.mean()), 6),
        'valMae': round(best, 6),
        'falseAlarmRateAnomalyFreeVal': round(free_far, 5),
        'skab': {
            'files': len(labelled),
            'protocol': 'rows after the first 400 of each labelled file scored point-wise (the window ending at the '
                        'row), TP/FP/FN/TN pooled over files; F1 = TP/(TP+(FP+FN)/2)',
            'smooth': SMOOTH,
            'perFileThreshold': f'{FILE_FACTOR} x 99th percentile of the window errors ending in the file\'s first '
                                f'{TRAIN_ROWS} rows',
            'results': skab,
            'published34Files': {'Conv-AE': {'f1': 0.78, 'farPct': 13.55, 'marPct': 28.02},
                                 'MSET': {'f1': 0.78, 'farPct': 39.73, 'marPct': 14.13},
                                 'T-squared+Q (PCA)': {'f1': 0.76, 'farPct': 26.62, 'marPct': 24.92},
                                 'LSTM-AE': {'f1': 0.74, 'farPct': 29.96, 'marPct': 25.92}},
        },
    },
}
json.dump(card, open(os.path.join(HERE, 'model.json'), 'w'), indent=2)
print(json.dumps(card['metrics'], indent=1))
