#!/usr/bin/python3
"""Trains compressor-ppo, a PPO setpoint policy for C-201, and writes model.onnx, model.json and golden.json.

    node models/compressor-ppo/physics-points.ts /tmp/compressor-ppo/points.json
    /usr/bin/python3 models/compressor-ppo/train.py /tmp/compressor-ppo/points.json

The task (compressor_env.py): hold the air mass flow the compressor delivers now and choose speed and IGV
for the least power, inside surge margin, discharge and bearing temperature limits. One decision per
state (a contextual bandit), so PPO's advantage, GAE(gamma, lambda) over a one-step episode, is r - V(s).
Actor and critic are small tanh MLPs; the actor's mean (deterministic) is exported to ONNX.
"""
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

import compressor_env as E

HERE = os.path.dirname(os.path.abspath(__file__))
POINTS = sys.argv[1] if len(sys.argv) > 1 else '/tmp/compressor-ppo/points.json'
ITERS = int(os.environ.get('TRAIN_ITERS', '150'))
BATCH = 4096  # states per PPO iteration
EPOCHS, MINIBATCH, CLIP, LR = 8, 512, 0.2, 1e-3
HIDDEN = 64
VERSION = '1.0.0'
SEEDS = {'train': 1, 'val': 2, 'test': 3, 'torch': 0}

torch.manual_seed(SEEDS['torch'])
torch.set_num_threads(1)

physics_check = E.check(POINTS)
print('python port against the TypeScript physics:', physics_check, flush=True)

# Scaler: min and max of each observed tag over 200,000 training states (the card's inputs.scaler).
_obs, _ = E.observe(np.random.default_rng(100), E.sample_states(np.random.default_rng(101), 200_000))
LO, HI = _obs.min(axis=0).round(4), _obs.max(axis=0).round(4)
del _obs
scale = lambda x: ((x - LO) / (HI - LO)).astype(np.float32)


def mlp(out):
    return nn.Sequential(nn.Linear(len(E.OBS_TAGS), HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, HIDDEN), nn.Tanh(),
                         nn.Linear(HIDDEN, out))


class Actor(nn.Module):
    """Gaussian policy: mean tanh-bounded in [-1, 1], one learned log standard deviation per action."""

    def __init__(self):
        super().__init__()
        self.net = mlp(2)
        self.log_std = nn.Parameter(torch.full((2,), float(np.log(0.3))))

    def forward(self, x):
        return torch.tanh(self.net(x))


actor, critic = Actor(), mlp(1)
opt = torch.optim.Adam([*actor.parameters(), *critic.parameters()], lr=LR)


def step_env(s, p0, action):
    """Moves each state to the action's point on its duty curve; reward and the outcome of that move."""
    u, reached = E.hold_duty(s, action, p0['massFlowKgS'])
    speed, igv = E.targets(u)
    o = E.outcome(s, p0, speed, igv)
    r = E.reward(o, s, p0)
    # Where the duty cannot be held within the limits nothing moves: worth 0, and a small price on the way.
    r = np.where(reached, r, -0.5)
    # A small price on the distance the app must project the output onto the duty: keeps the raw output meaningful.
    r -= 0.2 * np.abs(u - np.clip(action, -1, 1)).sum(axis=1)
    o['reached'] = reached
    o['speed'], o['igv'] = speed, igv
    return r, o


def states(seed, n):
    rng = np.random.default_rng(seed)
    s = E.sample_states(rng, n)
    obs, p0 = E.observe(rng, s)
    return s, obs, p0


def policy_mean(obs):
    with torch.no_grad():
        return actor(torch.from_numpy(scale(obs))).numpy().astype(np.float64)


val = states(SEEDS['val'], 4000)
val_grid = E.grid_optimum(val[0], val[2], igv_step=0.5)['powerSavedKw'].sum()
rng = np.random.default_rng(SEEDS['train'])
t0 = time.time()
best = (-np.inf, None, 0)
for it in range(1, ITERS + 1):
    s = E.sample_states(rng, BATCH)
    obs, p0 = E.observe(rng, s)
    x = torch.from_numpy(scale(obs))
    with torch.no_grad():
        mean, std = actor(x), actor.log_std.exp()
        a = mean + std * torch.randn_like(mean)
        logp_old = torch.distributions.Normal(mean, std).log_prob(a).sum(-1)
        v_old = critic(x).squeeze(-1)
    r, _ = step_env(s, p0, a.numpy().astype(np.float64))
    ret = torch.from_numpy(r.astype(np.float32))
    adv = ret - v_old
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    for _ in range(EPOCHS):
        perm = torch.randperm(BATCH)
        for i in range(0, BATCH, MINIBATCH):
            b = perm[i:i + MINIBATCH]
            dist = torch.distributions.Normal(actor(x[b]), actor.log_std.exp())
            ratio = (dist.log_prob(a[b]).sum(-1) - logp_old[b]).exp()
            pg = -torch.min(ratio * adv[b], ratio.clamp(1 - CLIP, 1 + CLIP) * adv[b]).mean()
            vf = (critic(x[b]).squeeze(-1) - ret[b]).pow(2).mean()
            opt.zero_grad()
            (pg + 0.5 * vf).backward()
            nn.utils.clip_grad_norm_([*actor.parameters(), *critic.parameters()], 0.5)
            opt.step()
    if it % 5 == 0 or it == ITERS:
        _, o = step_env(val[0], val[2], policy_mean(val[1]))
        gain = float(np.where(o['reached'], o['powerSavedKw'], 0).sum())
        viol = int((E.violations(o, val[0], val[2]) & o['reached']).sum())
        score = gain / val_grid - viol / len(o['reached'])
        print(f'iter {it} reward {r.mean():.3f} std {actor.log_std.exp().detach().numpy().round(4)} '
              f'val {100 * gain / val_grid:.1f}% of grid, {viol} violations ({time.time() - t0:.0f} s)', flush=True)
        if score > best[0]:
            best = (score, {k: t.clone() for k, t in actor.state_dict().items()}, it)
actor.load_state_dict(best[1])
train_s = time.time() - t0
print(f'best validation iteration {best[2]}')

# ---- measured on unseen states (seed 3), against doing nothing, a rule of thumb, and the grid optimum ----
test_s, test_obs, test_p0 = states(SEEDS['test'], 5000)
grid = E.grid_optimum(test_s, test_p0, igv_step=0.1)
raw = policy_mean(test_obs)
_, pol = step_env(test_s, test_p0, raw)
# Operators' rule of thumb: guide vanes fully open, speed trimmed to hold the flow.
open_igv = E.to_action(test_s['speed'], np.full(len(test_s['speed']), 100.0))
_, rule = step_env(test_s, test_p0, open_igv)


def summary(o, name):
    ok = o['reached']
    kw = np.where(ok, o['powerSavedKw'], 0)
    viol = E.violations(o, test_s, test_p0) & ok
    d = {
        'meanPowerSavedKw': round(float(kw.mean()), 2),
        'meanPowerSavedPct': round(float(np.where(ok, o['powerSavedPct'], 0).mean()), 4),
        'meanEfficiencyPts': round(float(np.where(ok, o['efficiencyPts'], 0).mean()), 4),
        'pctOfGridOptimum': round(float(100 * kw.sum() / grid['powerSavedKw'].sum()), 1),
        'statesWorseThanNow': int((kw < -1).sum()),
        'constraintViolations': int(viol.sum()),
        'violationsByLimit': {k: int((m & ok).sum()) for k, m in E.violations(o, test_s, test_p0, True).items()},
        # How far past the limit the worst violation goes, in the limit's unit.
        'worstExcess': round(float(max(0, (np.minimum(E.SURGE_MIN_PCT, 100 * test_p0['surgeMargin']) - o['surgeMarginPct'])[viol].max(initial=0),
                                       (o['dischargeC'] - np.maximum(E.DISCHARGE_MAX_C, test_p0['dischargeK'] - 273.15))[viol].max(initial=0),
                                       (o['bearingC'] - np.maximum(E.BEARING_MAX_C, test_s['ambientC'] + test_p0['bearingRiseC'] + test_s['bearingWear']))[viol].max(initial=0))), 3),
        'dutyNotReachable': int((~ok).sum()),
    }
    print(name, d, flush=True)
    return d


test_n = len(test_s['speed'])
dist_rpm = np.abs(E.targets(raw)[0] - pol['speed'])
dist_igv = np.abs(E.targets(raw)[1] - pol['igv'])
metrics = {
    'states': test_n,
    'seed': SEEDS['test'],
    'note': 'true physics of each unseen state; gains at the same air mass flow (the duty), '
            'after the app\'s projection onto the duty and before its per-suggestion step limit',
    'currentPowerMw': round(float(test_p0['powerMw'].mean()), 3),
    'doNothing': {'meanPowerSavedKw': 0.0, 'pctOfGridOptimum': 0.0, 'constraintViolations': 0},
    'igvOpenRule': summary(rule, 'IGV fully open, speed holds the flow'),
    'policy': summary(pol, 'policy'),
    'gridOptimum': {
        'meanPowerSavedKw': round(float(grid['powerSavedKw'].mean()), 2),
        'medianPowerSavedKw': round(float(np.median(grid['powerSavedKw'])), 2),
        'p90PowerSavedKw': round(float(np.percentile(grid['powerSavedKw'], 90)), 2),
        'statesWithNoGain': int((grid['powerSavedKw'] < 1).sum()),
        'method': 'IGV every 0.1 % from 40 to 100 %, speed bisected to the same flow, limits kept',
    },
    'projectionToDuty': {'medianRpm': round(float(np.median(dist_rpm)), 1), 'p95Rpm': round(float(np.percentile(dist_rpm, 95)), 1),
                         'medianIgvPct': round(float(np.median(dist_igv)), 2), 'p95IgvPct': round(float(np.percentile(dist_igv, 95)), 2)},
    'setpointErrorVsGrid': {
        'medianRpm': round(float(np.median(np.abs(pol['speed'] - grid['speed']))), 1),
        'medianIgvPct': round(float(np.median(np.abs(pol['igv'] - grid['igv']))), 2),
    },
    'published': 'none: this is Vigil\'s own simulator, so there is no published figure to compare with; '
                 'the ceiling is gridOptimum, '
                 f'{100 * grid["powerSavedKw"].sum() / (1000 * test_p0["powerMw"].sum()):.2f} % of the current power on average',
}
print(json.dumps(metrics, indent=1))

# ---- export the actor's mean ----
onnx_path = os.path.join(HERE, 'model.onnx')
actor.eval()
torch.onnx.export(actor, torch.from_numpy(scale(test_obs[:2])), onnx_path, input_names=['observation'],
                  output_names=['action'], dynamic_axes={'observation': {0: 'batch'}, 'action': {0: 'batch'}},
                  opset_version=17)
import onnx  # noqa: E402

onnx.checker.check_model(onnx.load(onnx_path))
sha = hashlib.sha256(open(onnx_path, 'rb').read()).hexdigest()

pick = [0, 1, 2, 3, int(np.argmax(grid['powerSavedKw'])), int(np.argmin(grid['powerSavedKw']))]
golden = {
    'note': 'raw observations [n][tags] in card tag order, the scaled float32 input, and the action torch produced',
    'tags': E.OBS_TAGS,
    'raw': test_obs[pick].tolist(),
    'input': scale(test_obs[pick]).tolist(),
    'action': policy_mean(test_obs[pick]).tolist(),
}
json.dump(golden, open(os.path.join(HERE, 'golden.json'), 'w'))

card = {
    'id': 'compressor-ppo',
    'version': VERSION,
    'kind': 'policy',
    'assetClass': 'compressor',
    'description': 'PPO setpoint policy for gas-turbine compressor C-201: speed and inlet guide vane targets '
                   'that deliver the air mass flow of now for the least power, inside surge margin, discharge '
                   'and bearing temperature limits. Suggestions only.',
    'file': 'model.onnx',
    'sha256': sha,
    'inputs': {'name': 'observation', 'tags': E.OBS_TAGS, 'window': 1,
               'scaler': {'kind': 'minmax', 'min': LO.tolist(), 'max': HI.tolist()}},
    'outputs': {'name': 'action'},
    'threshold': {'value': 10, 'method': 'kW: a suggestion is made only when its step saves at least this much '
                                         'power at the same flow (about 0.08 % of C-201\'s power)'},
    'policy': {
        'actions': [
            {'tag': 'Shaft_Speed_rpm', 'low': E.SPEED_LIMITS[0], 'high': E.SPEED_LIMITS[1], 'unit': 'rpm'},
            {'tag': 'IGV_Position_pct', 'low': E.IGV_LIMITS[0], 'high': E.IGV_LIMITS[1], 'unit': '%'},
        ],
        'objective': 'least compressor power at the air mass flow delivered now (Mass_Flow_kg_s held)',
        'constraints': {
            'Surge_Margin_pct': {'above': E.SURGE_MIN_PCT},
            'Discharge_Temperature_C': {'below': E.DISCHARGE_MAX_C},
            'Bearing_Temperature_C': {'below': E.BEARING_MAX_C},
        },
        'everySeconds': 300,
    },
    'training': {
        'data': 'compressor_env.py: the simulator\'s steady-state physics ported to numpy (checked against '
                'compressorSteadyState in src/main/sources/simulator/compressor-physics.ts) with its instrument noise',
        'physicsCheck': physics_check,
        'states': 'ambient -5..35 C, 1.013 +- 0.008 bar, fouling 0..1.2, 70 % schedule setpoints (13,400-14,100 rpm, '
                  'IGV 70-100 %) and 30 % wider (12,600-14,500 rpm, IGV 45-100 %), a worn bearing (+0..35 C) in 25 %',
        'split': f'by seed: training states drawn fresh each iteration (seed {SEEDS["train"]}), 4,000 validation '
                 f'states (seed {SEEDS["val"]}) pick the best iteration, 5,000 test states (seed {SEEDS["test"]})',
        'seeds': SEEDS,
        'method': 'PPO, one-step episodes (contextual bandit: advantage r - V(s)), clipped objective 0.2, '
                  f'{EPOCHS} epochs x minibatch {MINIBATCH} over {BATCH} states per iteration, Adam {LR}, '
                  'advantages normalised, gradient norm 0.5; the action is projected onto the duty (same flow) '
                  'before the reward, as the app does',
        'reward': 'power saved % - 3 x |flow change %| - 20 x flow change %^2 - 0.5 per unit past a limit '
                  '- 2 per limit broken - 0.2 x projection distance (action units)',
        'architecture': f'actor and critic MLP {len(E.OBS_TAGS)}-{HIDDEN}-{HIDDEN}, tanh; actor mean tanh-bounded, '
                        'learned log std',
        'iterations': ITERS,
        'bestIteration': best[2],
        'trainSeconds': round(train_s),
        'threads': 1,
        'torch': torch.__version__,
        'opset': 17,
    },
    'metrics': metrics,
}
json.dump(card, open(os.path.join(HERE, 'model.json'), 'w'), indent=2)
print(f'wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), model.json, golden.json')
