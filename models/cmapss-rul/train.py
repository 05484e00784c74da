#!/usr/bin/python3
"""Trains cmapss-rul, an ensemble of remaining-useful-life regressors on NASA C-MAPSS FD001, and writes
model.onnx, model.json and golden.json.

    /usr/bin/python3 models/cmapss-rul/train.py [datasets/cmapss]
    RUL_RECIPE=dcnn-w40 RUL_OUT=/tmp/w40 /usr/bin/python3 models/cmapss-rul/train.py   # a candidate, elsewhere

Inputs: the 14 informative FD001 sensors (constant ones dropped), min-max scaled on train_FD001 (the card's
scaler; any other scaling or smoothing a recipe wants happens inside the graph). Target: piecewise-linear RUL
capped at the recipe's ceiling. Five members with different seeds, each trained with early stopping on its own
fifth of the training engines; one graph returns the ensemble mean ("rul") and standard deviation ("rul_std").
Test: the last window of each test engine against RUL_FD001, RMSE and the PHM08 score.
Recipes (recipes.py) are weighed on the members' validation engines; a recipe replaces the shipped one only if it
is better there and then on the test set, and every candidate's figures go in the README.
"""
import json
import multiprocessing
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '__common__'))
from dcnn import Dcnn  # noqa: E402
from lstm import ConvLstmRegressor, Ensemble, sha256, windows  # noqa: E402
from recipes import RECIPES  # noqa: E402
from window_front import FrontedRegressor, WindowFront  # noqa: E402

DATASETS = os.environ.get('VIGIL_DATASETS', os.path.join(HERE, '..', '..', '..', 'shared', 'datasets'))
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATASETS, 'cmapss')
# Where the files go: RUL_OUT lets a candidate be weighed against the shipped model before it replaces it.
OUT = os.environ.get('RUL_OUT', HERE)
SHIPPED = 'dcnn-converged-w40'
RECIPE = os.environ.get('RUL_RECIPE', SHIPPED)
if RECIPE not in RECIPES:
    sys.exit(f'RUL_RECIPE={RECIPE}: no such recipe in {os.path.join(HERE, "recipes.py")} ({", ".join(RECIPES)})')
R = RECIPES[RECIPE]
WINDOW, CAP = R['window'], R['cap']
MEMBERS = int(os.environ.get('RUL_MEMBERS', '5'))
EPOCHS = int(os.environ.get('TRAIN_EPOCHS', R['epochs']))
# The shipped recipe writes version 3.0.0; version 2.0.0's recipe re-run says so; any other candidate is labelled
# with its recipe, so its card is never mistaken for the shipped one.
VERSION = {SHIPPED: '3.0.0', 'convlstm': '2.0.0'}.get(RECIPE, f'3.0.0-{RECIPE}')
# The test-shaped validation ('cuts'): held-out engines cut where at most this many cycles are left (RUL_FD001
# runs 7-145) and at least TEST_SHORTEST cycles were run (test_FD001's shortest engine), as SOURCE.md documents.
CUT_MAX_LEFT, TEST_SHORTEST = 145, 31
# 1-based file columns of the informative sensors, and the names Vigil gives them (Saxena et al. 2008, Table 2).
SENSORS = {7: 'T24', 8: 'T30', 9: 'T50', 12: 'P30', 13: 'Nf', 14: 'Nc', 16: 'Ps30', 17: 'phi', 18: 'NRf', 19: 'NRc',
           20: 'BPR', 22: 'htBleed', 25: 'W31', 26: 'W32'}
TAGS = list(SENSORS.values())
# One thread per process and two processes: on the shared 2-core build machine two threads in one process
# spent most of their time waiting on each other (an epoch took 20x longer than on one thread).
torch.set_num_threads(1)
PROCESSES = int(os.environ.get('RUL_PROCESSES', '2'))


def read(name):
    path = os.path.join(ROOT, name)
    a = np.loadtxt(path)
    if a.ndim != 2 or a.shape[1] != 26:
        sys.exit(f'{path}: expected 26 numbers per row, got shape {a.shape}')
    return a


def engines(a):
    """Per engine, its sensor rows [cycles, 14] in cycle order."""
    out = []
    for u in np.unique(a[:, 0]):
        rows = a[a[:, 0] == u]
        if not (np.diff(rows[:, 1]) == 1).all():
            sys.exit(f'engine {int(u)}: cycles are not consecutive')
        out.append(rows[:, [c - 1 for c in SENSORS]])
    return out


def pad(x):
    """An engine shorter than the window gets its first row repeated in front (test_FD001's shortest has 31)."""
    return np.concatenate([np.repeat(x[:1], WINDOW - len(x), axis=0), x]) if len(x) < WINDOW else x


train = engines(read('train_FD001.txt'))
lo = np.min([x.min(axis=0) for x in train], axis=0)
hi = np.max([x.max(axis=0) for x in train], axis=0)
scale = lambda x: ((x - lo) / np.where(hi > lo, hi - lo, 1)).astype(np.float32)


def front_of_recipe():
    """The in-graph map from the card's min-max input to what the net trains on (None: the input as is)."""
    if R['scaling'] == 'minmax' and R['alpha'] is None:
        return None
    if R['scaling'] == 'standard':
        # z = (raw - mean) / std with raw = x (hi - lo) + lo, as one gain and offset on the min-max x.
        rows = np.concatenate(train)
        mean, std = rows.mean(axis=0), rows.std(axis=0)
        gain, offset = (hi - lo) / std, (lo - mean) / std
    elif R['scaling'] == 'minmax11':
        gain, offset = np.full(len(TAGS), 2.0), np.full(len(TAGS), -1.0)
    else:
        gain, offset = np.ones(len(TAGS)), np.zeros(len(TAGS))
    return gain, offset


FRONT = front_of_recipe()


def make_net():
    if R['net'] == 'dcnn':
        net = Dcnn(len(TAGS), WINDOW)
        arch = ('4 x [Conv2d(10 filters, kernel 10 x 1, same padding in time) -> tanh] -> Conv2d(1 filter, 3 x 1) -> '
                'tanh -> flatten -> dropout 0.5 -> Linear(%d->100) -> tanh -> Linear(100->1)' % (WINDOW * len(TAGS)))
    else:
        net = ConvLstmRegressor(len(TAGS), conv=32, hidden=64, layers=1, dense=32, dropout=0.2)
        arch = ('Conv1d(14->32, kernel 4, stride 2) -> ReLU -> LSTM(32->64) -> last state -> Linear(64->32) -> ReLU '
                '-> dropout 0.2 -> Linear(32->1)')
    if FRONT is None:
        return net, arch
    front = WindowFront(*FRONT, WINDOW, R['alpha'])
    what = {'minmax': 'the min-max input', 'minmax11': 'min-max mapped to [-1, 1]',
            'standard': 'per-sensor standardisation (train_FD001 mean and std)'}[R['scaling']]
    smooth = f', exponential smoothing over the window (alpha {R["alpha"]})' if R['alpha'] is not None else ''
    return FrontedRegressor(front, net), f'in the graph: {what}{smooth}; then {arch}'


def engine_windows(x):
    """Every window of one training engine and its capped RUL at the window's last cycle, scaled by CAP."""
    x = pad(x)
    w = windows(scale(x), WINDOW)
    rul = np.minimum(CAP, len(x) - 1 - np.arange(WINDOW - 1, len(x)))
    return w, (rul / CAP).astype(np.float32)


def engine_cuts(x):
    """The test protocol's shape on a training engine: cut after every other cycle c that leaves at most CUT_MAX_LEFT
    cycles and keeps at least TEST_SHORTEST, the cut's last window (padded like a short test engine) and the true,
    uncapped cycles left."""
    s = scale(x)
    # Every other cycle: neighbouring cuts share all but one cycle, and this measure runs after every epoch.
    ends = [c for c in range(len(x) - 1, TEST_SHORTEST - 2, -2) if len(x) - 1 - c <= CUT_MAX_LEFT]
    return np.stack([pad(s[:c + 1])[-WINDOW:] for c in ends]), np.array([len(x) - 1 - c for c in ends], float)


per_engine = [engine_windows(x) for x in train]
cuts = [engine_cuts(x) for x in train]


def rmse(p, y):
    return float(np.sqrt(np.mean((p - y) ** 2)))


def phm08(p, y):
    d = p - y
    return float(np.sum(np.where(d < 0, np.exp(-d / 13) - 1, np.exp(d / 10) - 1)))


def predict(m, w):
    m.eval()
    with torch.no_grad():
        return np.concatenate([m(torch.from_numpy(w[i:i + 1024])).numpy() for i in range(0, len(w), 1024)]) * CAP


def train_member(k):
    """Member k: seed k, validation on engines k+1, k+6, ... (a fifth, 1-based), the other 80
    trained on in epochs of a share of their windows until `patience` epochs bring no better validation RMSE
    (the recipe's `select` measure); the best epoch is kept."""
    torch.set_num_threads(1)
    torch.manual_seed(k)
    rng = np.random.default_rng(k)
    t0 = time.time()
    val_ids = set(range(k % 5, len(train), 5))
    fit = [per_engine[i] for i in range(len(train)) if i not in val_ids]
    xw = np.concatenate([w for w, _ in fit])
    yw = np.concatenate([y for _, y in fit])
    val_x = np.stack([w[-1] for i, (w, _) in enumerate(per_engine) if i in val_ids])
    val_y = np.array([y[-1] for i, (_, y) in enumerate(per_engine) if i in val_ids]) * CAP
    # 'every5': every 5th window of the held-out engines against min(125, cycles left) (versions 1 and 2; the
    # test engines are cut anywhere in their life). Kept at 125 whatever the recipe's cap, so all recipes compare.
    vx = np.concatenate([per_engine[i][0][::5] for i in sorted(val_ids)])
    vy = np.minimum(125.0, np.concatenate([per_engine[i][1][::5] for i in sorted(val_ids)]) * CAP)
    cx = np.concatenate([cuts[i][0] for i in sorted(val_ids)])
    cy = np.concatenate([cuts[i][1] for i in sorted(val_ids)])
    m, _ = make_net()
    opt = torch.optim.Adam(m.parameters(), lr=R['lr'])
    if R['schedule'] == 'cosine':
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS, eta_min=R['lr'] / 200)
    else:
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=R.get('lr_patience', 3))
    best, state, best_epoch, epoch = float('inf'), None, 0, 0
    for epoch in range(1, EPOCHS + 1):
        m.train()
        perm = rng.permutation(len(xw))[:len(xw) // R['share']]
        for i in range(0, len(perm), R['batch']):
            b = perm[i:i + R['batch']]
            opt.zero_grad()
            loss = nn.functional.mse_loss(m(torch.from_numpy(xw[b])), torch.from_numpy(yw[b]))
            loss.backward()
            opt.step()
        v = rmse(predict(m, vx), vy) if R['select'] == 'every5' else rmse(predict(m, cx), cy)
        if R['schedule'] == 'cosine':
            sched.step()
        else:
            sched.step(v)
        print(f'{RECIPE} member {k} epoch {epoch}: validation RMSE ({R["select"]}) {v:.3f} ({time.time() - t0:.0f} s)',
              flush=True)
        if v < best:
            best, state, best_epoch = v, {n: t.clone() for n, t in m.state_dict().items()}, epoch
        elif R['schedule'] == 'plateau' and epoch - best_epoch >= R['patience']:
            break
    m.load_state_dict(state)
    pc = predict(m, cx)
    info = {'seed': k, 'bestEpoch': best_epoch, 'epochs': epoch, 'valRmse': round(rmse(predict(m, vx), vy), 3),
            'valCutsRmse': round(rmse(pc, cy), 3), 'valCutsPhm08Per100': round(100 * phm08(pc, cy) / len(cy), 1),
            'valLastCycleRmse': round(rmse(predict(m, val_x), val_y), 3), 'seconds': round(time.time() - t0)}
    print(f'{RECIPE} member {k}: {info}', flush=True)
    return m, info


def train_all(jobs):
    with multiprocessing.get_context('fork').Pool(PROCESSES) as pool:
        return pool.map(train_member, jobs, chunksize=1)


test = engines(read('test_FD001.txt'))
truth = np.loadtxt(os.path.join(ROOT, 'RUL_FD001.txt'))
if len(truth) != len(test):
    sys.exit(f'RUL_FD001.txt: {len(truth)} lines for {len(test)} test engines')
test_w = np.stack([scale(pad(x))[-WINDOW:] for x in test])

t0 = time.time()
members, member_info = [], []
for m, info in train_all(range(MEMBERS)):
    p = predict(m, test_w)
    info['testRmse'] = round(rmse(p, truth), 3)
    info['testScore'] = round(phm08(p, truth), 1)
    members.append(m)
    member_info.append(info)
train_s = time.time() - t0
val_rmse = float(np.mean([info['valRmse'] for info in member_info]))
val_cuts = float(np.mean([info['valCutsRmse'] for info in member_info]))
val_cuts_score = float(np.mean([info['valCutsPhm08Per100'] for info in member_info]))
print(f'{RECIPE} members: validation RMSE mean (every5) {val_rmse:.3f}, (cuts) {val_cuts:.3f}, cuts PHM08 per 100 '
      f'{val_cuts_score:.1f}; test RMSE {[i["testRmse"] for i in member_info]} ({train_s:.0f} s)')

ens = Ensemble(members, CAP).eval()
with torch.no_grad():
    mean, std = (t.numpy() for t in ens(torch.from_numpy(test_w)))
test_rmse, test_score = rmse(mean, truth), phm08(mean, truth)
capped = np.minimum(truth, CAP)
print(f'{RECIPE} ensemble test RMSE {test_rmse:.3f}, PHM08 score {test_score:.1f}; '
      f'against truth capped at {CAP:.0f}: RMSE {rmse(mean, capped):.3f}', flush=True)
# Does the spread mean anything: the absolute error of the engines in the top half of spread vs the bottom half.
order = np.argsort(std)
err = np.abs(mean - truth)
spread_check = {'meanStd': round(float(std.mean()), 3),
                'absErrorLowSpreadHalf': round(float(err[order[:50]].mean()), 3),
                'absErrorHighSpreadHalf': round(float(err[order[50:]].mean()), 3)}
print(spread_check, flush=True)

os.makedirs(OUT, exist_ok=True)
onnx_path = os.path.join(OUT, 'model.onnx')
torch.onnx.export(ens, torch.from_numpy(test_w[:2]), onnx_path, input_names=['window'], output_names=['rul', 'rul_std'],
                  dynamic_axes={'window': {0: 'batch'}, 'rul': {0: 'batch'}, 'rul_std': {0: 'batch'}}, opset_version=17)
import onnx  # noqa: E402

onnx.checker.check_model(onnx.load(onnx_path))

pick = [0, 23, 30, 80]  # test engines of long, mid and short life left (engine 31 is the shortest, 31 cycles)
raw = np.stack([pad(test[i])[-WINDOW:] for i in pick])
json.dump({
    'note': f'raw windows [n][window][tags] (the last {WINDOW} cycles of test engines 1, 24, 31, 81, a shorter engine '
            'padded with its first cycle), the scaled float32 input, and what torch produced',
    'engines': [i + 1 for i in pick], 'tags': TAGS, 'raw': raw.tolist(), 'input': test_w[pick].tolist(),
    'rul': mean[pick].tolist(), 'rul_std': std[pick].tolist(), 'truth': truth[pick].tolist(),
}, open(os.path.join(OUT, 'golden.json'), 'w'))

_, ARCHITECTURE = make_net()
PREVIOUS = ({'version': '1.0.0', 'architecture': 'LSTM(14->32), 20 epochs of a third of the windows',
             'validationMemberRmseMean': 13.645, 'testRmse': 14.986, 'phm08Score': 370.9} if RECIPE == 'convlstm' else
            {'version': '2.0.0', 'architecture': 'conv + LSTM(64) ensemble, window 30, cap 125 (recipe convlstm)',
             'validationMemberRmseMean': 13.532, 'testRmse': 14.731, 'phm08Score': 333.2})
NET_NAME = {'dcnn': 'deep 1-D CNN (Li et al. 2018)', 'convlstm': 'conv + LSTM'}[R['net']]
card = {
    'id': 'cmapss-rul',
    'version': VERSION,
    'kind': 'rul',
    'assetClass': 'other',
    'description': f'Remaining useful life of a turbofan (NASA C-MAPSS FD001, HPC degradation) from its last {WINDOW} '
                   f'cycles of 14 sensors: the mean of {MEMBERS} {NET_NAME} regressors, with their spread as the '
                   'uncertainty.',
    'file': 'model.onnx',
    'sha256': sha256(onnx_path),
    'inputs': {'name': 'window', 'tags': TAGS, 'window': WINDOW,
               'scaler': {'kind': 'minmax', 'min': lo.tolist(), 'max': hi.tolist()}},
    'outputs': {'name': 'rul', 'spread': 'rul_std'},
    'threshold': {'value': 30, 'method': 'flag an engine with under 30 cycles left (a maintenance planning horizon)'},
    'rul': {'unit': 'cycles', 'cap': CAP, 'everySeconds': 1},
    # The column to-csv.ts writes: true cycles left at each row, so `vigil score` prints RMSE and PHM08.
    'label': 'rul_true',
    'training': {
        'recipe': RECIPE,
        'data': 'NASA C-MAPSS train_FD001.txt (100 engines run to failure), from /work/shared/datasets/cmapss',
        'sensors': {f's{c - 5}': n for c, n in SENSORS.items()},
        'dropped': 's1, s5, s6, s10, s16, s18, s19 (constant or two-valued in FD001) and the 3 operating settings',
        'target': f'piecewise-linear RUL: min({CAP:.0f}, last cycle - cycle)',
        'split': 'every member trains on 80 of the 100 training engines and keeps the epoch best on the other 20 '
                 '(member k validates on engines k+1, k+6, ...); the test engines are never seen',
        'padding': 'an engine with fewer cycles than the window gets its first cycle repeated in front',
        'architecture': f'per member {ARCHITECTURE} x {CAP:.0f}; outputs mean and std over members',
        'loss': f'MSE on RUL / {CAP:.0f}',
        'optimizer': f'Adam, batch {R["batch"]}, epochs of 1/{R["share"]} of the windows, best validation epoch '
                     f'({R["select"]}) kept; ' + (
                         f'lr {R["lr"]:g} falling on a cosine to {R["lr"] / 200:g} over {EPOCHS} epochs'
                         if R['schedule'] == 'cosine' else
                         f'lr {R["lr"]:g} halved after {R.get("lr_patience", 3)} epochs without a better validation '
                         f'RMSE, stopped after {R["patience"]} without one (at most {EPOCHS})'),
        'members': member_info,
        'trainSeconds': round(train_s),
        'torch': torch.__version__,
        'opset': 17,
    },
    'metrics': {
        'test': {'engines': len(test), 'rmse': round(test_rmse, 3), 'phm08Score': round(test_score, 1),
                 'rmseAgainstCappedTruth': round(rmse(mean, capped), 3),
                 'memberRmseMean': round(float(np.mean([m['testRmse'] for m in member_info])), 3),
                 'memberRmseStd': round(float(np.std([m['testRmse'] for m in member_info])), 3)},
        'validation': {'memberRmseMean': round(val_rmse, 3),
                       'measure': "every 5th window of each member's 20 held-out training engines against "
                                  'min(125, cycles left)',
                       'cutsMemberRmseMean': round(val_cuts, 3), 'cutsMemberPhm08Per100': round(val_cuts_score, 1),
                       'cutsMeasure': f"each member's 20 held-out engines cut at every other cycle leaving at most "
                                      f'{CUT_MAX_LEFT} cycles after at least {TEST_SHORTEST}, the last window against '
                                      'the true cycles left (the test protocol)'},
        'spread': spread_check,
        # What this version replaced, or what a candidate is weighed against (same split and every5 measure).
        'previous': PREVIOUS,
        'published': {'Deep LSTM (Zheng et al. 2017)': {'rmse': 16.14, 'score': 338}, 'AGCNN': {'rmse': 12.42, 'score': 225.5},
                      'DCNN (Li et al. 2018)': {'rmse': 12.61, 'score': 273.7},
                      'MTSTAN (best in table)': {'rmse': 10.97, 'score': 175.36},
                      'single-layer LSTM (arXiv 2604.27234)': {'rmse': 14.93}},
    },
}
json.dump(card, open(os.path.join(OUT, 'model.json'), 'w'), indent=2)
print(json.dumps(card['metrics'], indent=1))
