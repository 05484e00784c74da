#!/usr/bin/python3
"""Trains compressor-rul, cmapss-rul's LSTM ensemble retrained on the Vigil compressor simulator's
tags, and writes model.onnx, model.json and golden.json.

    node models/compressor-rul/make-data.ts /tmp/compressor-rul-data
    /usr/bin/python3 models/compressor-rul/train.py /tmp/compressor-rul-data

Data: 1 Hz stretches of C-201 (stretches.ts) at fouling from clean to past the wash limit and
at many operating points, labelled with the simulator's own hours to the wash limit. A 60 s
window cannot watch fouling grow (1,500 h from clean to the limit); it reads the health from
where the gas path sits at the current speed, guide vanes and inlet conditions (efficiency,
discharge temperature, flow, surge margin), and the life follows from the health.
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
from lstm import Ensemble, LstmRegressor, sha256, windows  # noqa: E402

DATA = sys.argv[1] if len(sys.argv) > 1 else '/tmp/compressor-rul-data'
WINDOW = 60
STRIDE = 60
CAP = 1500.0
HIDDEN = 32
MEMBERS = int(os.environ.get('RUL_MEMBERS', '5'))
EPOCHS = int(os.environ.get('TRAIN_EPOCHS', '8'))
EPOCH_SHARE = 2  # each epoch visits a random half of the windows
VERSION = '1.0.0'
# The gas path and its operating point; vibration and bearing temperature are not fouling's (they are bearing wear's).
TAGS = ['Inlet_Pressure_bar', 'Inlet_Temperature_C', 'Discharge_Pressure_bar', 'Discharge_Temperature_C',
        'Mass_Flow_kg_s', 'Shaft_Speed_rpm', 'IGV_Position_pct', 'Power_MW', 'Isentropic_Efficiency_pct',
        'Surge_Margin_pct']
torch.set_num_threads(1)  # the build machine's 2 cores are shared
meta = json.load(open(os.path.join(DATA, 'meta.json')))


def load(split):
    """Windows [n, WINDOW, tags] (raw), the life label at each window's last row (hours), the true fouling there, run ids."""
    d = pd.read_csv(os.path.join(DATA, f'{split}.csv'))
    missing = [t for t in TAGS + ['run', 'life_h', 'fouling'] if t not in d.columns]
    if missing:
        sys.exit(f'{DATA}/{split}.csv: no column {missing[0]!r}')
    xs, ys, fs, runs = [], [], [], []
    for run, g in d.groupby('run', sort=True):
        x = g[TAGS].to_numpy(np.float64)
        w = windows(x, WINDOW, STRIDE)
        last = np.arange(WINDOW - 1, len(x), STRIDE)[:len(w)]
        xs.append(w)
        ys.append(g['life_h'].to_numpy()[last])
        fs.append(g['fouling'].to_numpy()[last])
        runs.append(np.full(len(w), run))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(fs), np.concatenate(runs)


train_x, train_y, _, _ = load('train')
val_x, val_y, _, _ = load('val')
test_x, test_y, test_f, test_run = load('test')
lo = train_x.min(axis=(0, 1)).round(4)
hi = train_x.max(axis=(0, 1)).round(4)
scale = lambda x: ((x - lo) / np.where(hi > lo, hi - lo, 1)).astype(np.float32)
xw, yw = scale(train_x), (np.minimum(train_y, CAP) / CAP).astype(np.float32)
vx, vy = scale(val_x), np.minimum(val_y, CAP)
tx, ty = scale(test_x), np.minimum(test_y, CAP)
print(f'windows: train {len(xw)}, val {len(vx)}, test {len(tx)}', flush=True)


def rmse(p, y):
    return float(np.sqrt(np.mean((p - y) ** 2)))


def predict(m, w):
    m.eval()
    with torch.no_grad():
        return np.concatenate([m(torch.from_numpy(w[i:i + 4096])).numpy() for i in range(0, len(w), 4096)]) * CAP


def train_member(k):
    torch.manual_seed(k)
    rng = np.random.default_rng(k)
    m = LstmRegressor(len(TAGS), HIDDEN)
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    best, state, best_epoch = float('inf'), None, 0
    for epoch in range(1, EPOCHS + 1):
        m.train()
        perm = rng.permutation(len(xw))[:len(xw) // EPOCH_SHARE]
        for i in range(0, len(perm), 128):
            b = perm[i:i + 128]
            opt.zero_grad()
            loss = nn.functional.mse_loss(m(torch.from_numpy(xw[b])), torch.from_numpy(yw[b]))
            loss.backward()
            opt.step()
        v = rmse(predict(m, vx), vy)
        sched.step(v)
        if v < best:
            best, state, best_epoch = v, {n: t.clone() for n, t in m.state_dict().items()}, epoch
    m.load_state_dict(state)
    return m, {'seed': k, 'bestEpoch': best_epoch, 'valRmseH': round(best, 2)}


t0 = time.time()
members, info = [], []
for k in range(MEMBERS):
    m, i = train_member(k)
    i['testRmseH'] = round(rmse(predict(m, tx), ty), 2)
    members.append(m)
    info.append(i)
    print(f'member {k}: {i} ({time.time() - t0:.0f} s)', flush=True)
train_s = time.time() - t0

ens = Ensemble(members, CAP).eval()
with torch.no_grad():
    mean, std = (np.concatenate(v) for v in zip(*[(a.numpy(), b.numpy()) for a, b in
                                                  (ens(torch.from_numpy(tx[i:i + 4096])) for i in range(0, len(tx), 4096))]))
test_rmse = rmse(mean, ty)
bands = {}
for name, (a, b) in {'life < 300 h': (0, 300), '300-800 h': (300, 800), '800 h to the cap': (800, CAP + 1)}.items():
    sel = (ty >= a) & (ty < b)
    bands[name] = {'windows': int(sel.sum()), 'rmseH': round(rmse(mean[sel], ty[sel]), 2),
                   'meanStdH': round(float(std[sel].mean()), 2)}
print(f'ensemble test RMSE {test_rmse:.2f} h', bands, flush=True)

onnx_path = os.path.join(HERE, 'model.onnx')
torch.onnx.export(ens, torch.from_numpy(tx[:2]), onnx_path, input_names=['window'], output_names=['rul', 'rul_std'],
                  dynamic_axes={'window': {0: 'batch'}, 'rul': {0: 'batch'}, 'rul_std': {0: 'batch'}}, opset_version=17)
import onnx  # noqa: E402

onnx.checker.check_model(onnx.load(onnx_path))
pick = [int(np.argmin(np.abs(test_f - f))) for f in (0.1, 0.5, 0.9, 1.02)]
json.dump({
    'note': 'raw 60 s windows [n][window][tags] of test stretches near fouling 0.1, 0.5, 0.9 and past the limit, the '
            'scaled float32 input, and what torch produced (hours)',
    'tags': TAGS, 'fouling': test_f[pick].tolist(), 'raw': test_x[pick].tolist(), 'input': tx[pick].tolist(),
    'rul': mean[pick].tolist(), 'rul_std': std[pick].tolist(), 'truth': ty[pick].tolist(),
}, open(os.path.join(HERE, 'golden.json'), 'w'))

seeds = {s: [r['seed'] for r in meta['runs'] if r['split'] == s] for s in ('train', 'val', 'test')}
card = {
    'id': 'compressor-rul',
    'version': VERSION,
    'kind': 'rul',
    'assetClass': 'compressor',
    'description': 'Hours until C-201 reaches its wash limit (fouling F = 1), from the last 60 s of 10 gas-path tags: '
                   'the mean of 5 LSTM regressors (cmapss-rul architecture, retrained on the Vigil compressor '
                   "simulator's tags), with their spread as the uncertainty.",
    'file': 'model.onnx',
    'sha256': sha256(onnx_path),
    'inputs': {'name': 'window', 'tags': TAGS, 'window': WINDOW,
               'scaler': {'kind': 'minmax', 'min': lo.tolist(), 'max': hi.tolist()}},
    'outputs': {'name': 'rul', 'spread': 'rul_std'},
    'threshold': {'value': 168, 'method': 'flag when under a week (168 h) of running is left before the wash limit'},
    'rul': {'unit': 'hours', 'cap': CAP, 'everySeconds': 60},
    'training': {
        'data': 'Vigil compressor simulator (src/main/sources/simulator/compressor-*.ts) at 1 Hz, made by make-data.ts: '
                f'{len(seeds["train"])} stretches of 900 s, one per seed, starting fouling uniform in 0-1.05, start hour '
                'anywhere in a year, seeded speed and IGV setpoints',
        'notFromCmapss': "retrained on the simulator's own tags, not mapped from C-MAPSS: C-MAPSS is a turbofan's "
                         'per-flight cycles with other sensors, degrading over hundreds of cycles; C-201 streams 1 Hz '
                         'samples of a stationary compressor that fouls over hundreds of hours',
        'label': "hours until health first reaches 0 in the simulator's run of the same seed from the same fouling at "
                 'one sample per 10 minutes (remainingLife), less the time elapsed in the stretch, capped at 1500',
        'labelSpreadAtEqualFouling': meta['labelNoise'],
        'seeds': {'train': [min(seeds['train']), max(seeds['train'])], 'val': [min(seeds['val']), max(seeds['val'])],
                  'test': [min(seeds['test']), max(seeds['test'])]},
        'split': 'by seed; validation seeds pick each member\'s epoch; test seeds are unseen',
        'windows': {'train': int(len(xw)), 'val': int(len(vx)), 'test': int(len(tx)), 'stride': STRIDE},
        'architecture': f'per member LSTM({len(TAGS)}->{HIDDEN}) -> last state -> Linear({HIDDEN}->16) -> ReLU -> '
                        f'dropout 0.1 -> Linear(16->1) x {CAP:.0f}; outputs mean and std over members',
        'loss': 'MSE on life / 1500',
        'optimizer': f'Adam lr 3e-3, batch 128, {EPOCHS} epochs of a random half of the windows each, best '
                     'validation epoch kept',
        'members': info,
        'trainSeconds': round(train_s),
        'torch': torch.__version__,
        'opset': 17,
    },
    'metrics': {'test': {'windows': int(len(tx)), 'stretches': len(seeds['test']), 'rmseH': round(test_rmse, 2),
                         'maeH': round(float(np.mean(np.abs(mean - ty))), 2), 'byLife': bands,
                         'memberRmseMeanH': round(float(np.mean([i['testRmseH'] for i in info])), 2)}},
}
json.dump(card, open(os.path.join(HERE, 'model.json'), 'w'), indent=2)
print(json.dumps(card['metrics'], indent=1))
