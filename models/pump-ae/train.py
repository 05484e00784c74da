#!/usr/bin/python3
"""Trains the pump-ae LSTM autoencoder and writes model.onnx, model.json and golden.json.

    node models/pump-ae/make-data.ts /tmp/pump-ae-data
    /usr/bin/python3 models/pump-ae/train.py /tmp/pump-ae-data
    node models/pump-ae/baseline.ts    # measures contributions with Vigil's scorer into model.json

Data: the Vigil pump simulator's normal running (make-data.ts). Method, as the pump design
says: 30-step x 10-sensor windows, MinMax scaling fitted on the training split, MAE loss,
threshold at the 99th percentile of the training windows' reconstruction error.
"""
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else '/tmp/pump-ae-data'
WINDOW = 30
HIDDEN = 32
BUDGET_S = float(os.environ.get('TRAIN_BUDGET_S', '900'))  # a safety cap; EPOCHS decides
EPOCHS = int(os.environ.get('TRAIN_EPOCHS', '6'))
VERSION = '1.0.0'

torch.manual_seed(0)
np.random.seed(0)
torch.set_num_threads(2)

meta = json.load(open(os.path.join(DATA, 'meta.json')))
TAGS = meta['tags']


def load(split):
    """Runs of one split as a list of (run meta, t [n], raw values [n, tags])."""
    a = np.loadtxt(os.path.join(DATA, f'{split}.csv'), delimiter=',', skiprows=1)
    runs = []
    for r in [r for r in meta['runs'] if r['split'] == split]:
        rows = a[a[:, 0] == r['run']]
        runs.append((r, rows[:, 1], rows[:, 2:]))
    return runs


def windows(x, stride=1):
    """All windows of one run, [count, WINDOW, tags], stride apart; window k ends at row k*stride + WINDOW - 1."""
    v = np.lib.stride_tricks.sliding_window_view(x, WINDOW, axis=0)  # [n-W+1, tags, W]
    return np.ascontiguousarray(v[::stride].transpose(0, 2, 1))


class LstmAutoencoder(nn.Module):
    """Encoder LSTM to one state vector, repeated over the window, decoded by a second LSTM."""

    def __init__(self, tags, hidden):
        super().__init__()
        self.enc = nn.LSTM(tags, hidden, batch_first=True)
        self.dec = nn.LSTM(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, tags)

    def forward(self, x):
        _, (h, _) = self.enc(x)
        z = h[-1].unsqueeze(1).repeat(1, x.shape[1], 1)
        y, _ = self.dec(z)
        return self.out(y)


def score(model, w):
    """Per-window mean absolute error of scaled windows, and the reconstructions."""
    model.eval()
    errs, recs = [], []
    with torch.no_grad():
        for i in range(0, len(w), 4096):
            xb = torch.from_numpy(w[i:i + 4096])
            r = model(xb)
            recs.append(r.numpy())
            errs.append((r - xb).abs().mean(dim=(1, 2)).numpy())
    return np.concatenate(errs), np.concatenate(recs)


train, val = load('train'), load('val')
lo = np.min([x.min(axis=0) for _, _, x in train], axis=0).round(4)
hi = np.max([x.max(axis=0) for _, _, x in train], axis=0).round(4)
scale = lambda x: ((x - lo) / (hi - lo)).astype(np.float32)
train_w = np.concatenate([windows(scale(x)) for _, _, x in train])
val_w = np.concatenate([windows(scale(x), 5) for _, _, x in val])
print(f'train windows {len(train_w)}, val windows {len(val_w)}')

model = LstmAutoencoder(len(TAGS), HIDDEN)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
loss_fn = nn.L1Loss()
t0 = time.time()
best, best_state, epochs = float('inf'), None, 0
sub = train_w[::2]  # stride-2 windows per epoch: neighbours overlap 29 of 30 steps anyway
while epochs < EPOCHS and time.time() - t0 < BUDGET_S:
    model.train()
    perm = np.random.permutation(len(sub))
    for i in range(0, len(perm), 128):
        xb = torch.from_numpy(sub[perm[i:i + 128]])
        opt.zero_grad()
        loss = loss_fn(model(xb), xb)
        loss.backward()
        opt.step()
    epochs += 1
    v = float(score(model, val_w)[0].mean())
    sched.step(v)
    print(f'epoch {epochs} val MAE {v:.5f} ({time.time() - t0:.0f} s)', flush=True)
    if v < best:
        best, best_state = v, {k: t.clone() for k, t in model.state_dict().items()}
model.load_state_dict(best_state)
train_s = time.time() - t0

train_err, train_rec = score(model, train_w)
threshold = float(np.percentile(train_err, 99))
print(f'threshold {threshold:.5f}')
# Each sensor's normal error: the card's inputs.errorBaseline, what contributions are measured against.
base = np.abs(train_rec - train_w).mean(axis=(0, 1), dtype=np.float64)
del train_rec
print('error baseline', dict(zip(TAGS, base.round(5))))


def shares(e):
    """Sensor shares of one window from its per-sensor mean absolute errors e, as Vigil's scorer
    (src/main/models/autoencoder.ts): error up to a sensor's baseline counts in units of it, beyond it at its size."""
    c = base.mean() * np.minimum(e, base) / base + np.maximum(0, e - base)
    return c / c.sum()


def far(runs):
    e = np.concatenate([score(model, windows(scale(x)))[0] for _, _, x in runs])
    return float((e > threshold).mean()), len(e)


metrics = {'windowStride': 1, 'trainMae': float(train_err.mean()), 'valMae': best}
metrics['falseAlarmRate'] = {}
for name, runs in [('val', val), ('test-normal', load('test-normal'))]:
    rate, n = far(runs)
    metrics['falseAlarmRate'][name] = {'rate': round(rate, 5), 'windows': n, 'seeds': [r['seed'] for r, _, _ in runs]}
    print(f'false alarm rate {name}: {rate:.4f} of {n} windows')

CRITICAL = {'Bearing_Temperature_C': ('above', 85), 'Vibration_mm_s': ('above', 11.2), 'Oil_Pressure_bar': ('below', 1.0),
            'Suction_Pressure_bar': ('below', 0.3)}
golden_from = {}
metrics['detection'] = {}
for kind in ['bearing_wear', 'cavitation', 'seal_leak']:
    runs = load(f'test-{kind}')
    delays, before, late, tops, limits = [], 0, [], {}, {}
    for r, t, x in runs:
        f = r['faults'][0]
        w = windows(scale(x))
        err, rec = score(model, w)
        ends = t[WINDOW - 1:]
        after = np.nonzero((ends >= f['since']) & (err > threshold))[0]
        before += int((err[ends < f['since']] > threshold).sum())
        late.append(float((err[ends >= f['since'] + f['rampS'] * 1000] > threshold).mean()))
        if len(after):
            k = int(after[0])
            delays.append(float((ends[k] - f['since']) / 1000))
            for j in np.argsort(-shares(np.abs(rec[k] - w[k]).mean(axis=0)))[:2]:
                tops[TAGS[j]] = tops.get(TAGS[j], 0) + 1
            golden_from.setdefault(kind, (x, k))
        for tag, (side, limit) in CRITICAL.items():
            col = x[:, TAGS.index(tag)]
            hit = np.nonzero((t >= f['since']) & ((col > limit) if side == 'above' else (col < limit)))[0]
            if len(hit):
                limits.setdefault(tag, []).append(float((t[hit[0]] - f['since']) / 1000))
    d = {
        'runs': len(runs),
        'seeds': [r['seed'] for r, _, _ in runs],
        'rampS': runs[0][0]['faults'][0]['rampS'],
        'detected': len(delays),
        'delayS': {'median': float(np.median(delays)), 'max': float(np.max(delays))} if delays else None,
        'falseAlarmsBeforeFault': before,
        'flaggedAfterRamp': round(float(np.mean(late)), 4),
        'topTwoContributorsAtDetection': dict(sorted(tops.items(), key=lambda kv: -kv[1])),
        'criticalLimitFirstCrossedS': {k: float(np.median(v)) for k, v in limits.items()},
    }
    metrics['detection'][kind] = d
    print(kind, d, flush=True)

# Latency of the torch model is not the product's; Vigil measures onnxruntime's in its tests.
onnx_path = os.path.join(HERE, 'model.onnx')
model.eval()
torch.onnx.export(model, torch.from_numpy(train_w[:2]), onnx_path, input_names=['window'],
                  output_names=['reconstruction'], dynamic_axes={'window': {0: 'batch'}, 'reconstruction': {0: 'batch'}},
                  opset_version=17)
import onnx  # noqa: E402

onnx.checker.check_model(onnx.load(onnx_path))
sha = hashlib.sha256(open(onnx_path, 'rb').read()).hexdigest()

(_, _, normal_x), = load('test-normal')
golden_windows = [normal_x[0:WINDOW], normal_x[7200:7200 + WINDOW]]
for kind, (x, k) in golden_from.items():
    golden_windows.append(x[k + 60:k + 60 + WINDOW])
raw = np.stack(golden_windows)
inp = scale(raw)
with torch.no_grad():
    rec = model(torch.from_numpy(inp)).numpy()
golden = {
    'note': 'raw windows [n][window][tags] in card tag order, the scaled float32 input, and what torch produced',
    'tags': TAGS,
    'raw': raw.round(4).tolist(),
    'input': inp.tolist(),
    'reconstruction': rec.tolist(),
    'score': np.abs(rec - inp).mean(axis=(1, 2)).tolist(),
}
json.dump(golden, open(os.path.join(HERE, 'golden.json'), 'w'))

train_runs = [r for r, _, _ in train]
card = {
    'id': 'pump-ae',
    'version': VERSION,
    'kind': 'autoencoder',
    'assetClass': 'pump',
    'description': 'LSTM autoencoder for centrifugal pump P-101: reconstruction error of 30 s x 10 sensor windows; '
                   'a window is ANOMALY when its mean absolute error passes the threshold.',
    'file': 'model.onnx',
    'sha256': sha,
    'inputs': {'name': 'window', 'tags': TAGS, 'window': WINDOW,
               'scaler': {'kind': 'minmax', 'min': lo.tolist(), 'max': hi.tolist()},
               'errorBaseline': [float(f'{b:.6g}') for b in base]},
    'outputs': {'name': 'reconstruction'},
    'threshold': {'value': round(threshold, 6),
                  'method': '99th percentile of per-window MAE over all stride-1 training windows'},
    'training': {
        'data': 'Vigil pump simulator (src/main/sources/simulator), normal running only, made by make-data.ts',
        'rateHz': 1,
        'seeds': {'train': [r['seed'] for r in train_runs], 'val': [r['seed'] for r, _, _ in val]},
        'samples': int(sum(r['n'] for r in train_runs)),
        'windows': int(len(train_w)),
        'split': 'by seed: 8 runs x 3 h train (tiling the day), 2 runs x 3 h validation; test on unseen seeds',
        'architecture': f'LSTM({len(TAGS)}->{HIDDEN}) -> repeat x{WINDOW} -> LSTM({HIDDEN}->{HIDDEN}) -> Linear({HIDDEN}->{len(TAGS)})',
        'loss': 'L1 (MAE)',
        'optimizer': 'Adam lr 3e-3, batch 128, stride-2 windows per epoch, best validation epoch kept',
        'epochs': epochs,
        'trainSeconds': round(train_s),
        'torch': torch.__version__,
        'opset': 17,
    },
    'metrics': metrics,
}
json.dump(card, open(os.path.join(HERE, 'model.json'), 'w'), indent=2)
print(json.dumps(metrics, indent=1))
