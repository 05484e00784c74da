"""C-201's steady-state physics in numpy, and the setpoint task the compressor-ppo policy learns.

The physics is a port of compressorSteadyState in src/main/sources/simulator/compressor-physics.ts
(the simulator's own expressions); `python3 compressor_env.py --check points.json` compares it with
operating points the TypeScript function computed (physics-points.ts) and fails past 1e-6 relative.

The task, one decision per state (a contextual bandit): the process asks for the air mass flow the
compressor delivers now (the duty); choose shaft speed and IGV targets that deliver the same flow for
the least power, keeping surge margin, discharge and bearing temperature inside their limits.
"""
import json
import sys

import numpy as np

N0 = 14_100.0
MDOT0 = 39.0
PR0 = 16.8
PRS0 = 1.2 * PR0
ETA0 = 0.86
K = 0.4 / 1.4
CP = 1.005
SPEED_LIMITS = (12_600.0, 14_500.0)
IGV_LIMITS = (40.0, 100.0)

# The policy's observation, in the card's tag order; the duty is the measured Mass_Flow_kg_s.
OBS_TAGS = [
    'Ambient_Temperature_C',
    'Ambient_Pressure_bar',
    'Inlet_Temperature_C',
    'Mass_Flow_kg_s',
    'Shaft_Speed_rpm',
    'IGV_Position_pct',
    'Isentropic_Efficiency_pct',
    'Discharge_Temperature_C',
    'Bearing_Temperature_C',
]
# Instrument noise (one sigma) of the simulator's NOISE table, for the tags read here.
NOISE = {'Ambient_Temperature_C': 0.1, 'Ambient_Pressure_bar': 0.0005, 'Inlet_Pressure_bar': 0.0008,
         'Inlet_Temperature_C': 0.15, 'Discharge_Pressure_bar': 0.03, 'Discharge_Temperature_C': 0.6,
         'Mass_Flow_kg_s': 0.15, 'Shaft_Speed_rpm': 3.0, 'IGV_Position_pct': 0.1, 'Bearing_Temperature_C': 0.15}

# Limits the policy is trained to respect (the card's policy.constraints): surge margin above 10 %
# (the critical alarm is at 5 %), 10 C below the plant's critical discharge (490 C) and 5 C below
# its critical bearing temperature (105 C).
SURGE_MIN_PCT = 10.0
DISCHARGE_MAX_C = 480.0
BEARING_MAX_C = 100.0


def surge_line(phi, fouling):
    return 1 + (PRS0 - 1) * np.maximum(0, phi) ** 1.1 * (1 - 0.06 * fouling)


def steady(ambient_c, ambient_bar, speed, igv, fouling):
    """compressorSteadyState, elementwise over numpy arrays: a dict of the operating point."""
    t1 = ambient_c + 273.15 + 0.3
    theta = t1 / 288.15
    n = speed / N0 / np.sqrt(theta)
    g = 0.55 + 0.45 * (igv / 100)
    phi_clean = n ** 1.4 * g
    phi = phi_clean * (1 - 0.06 * fouling)
    pr = 1 + (PR0 - 1) * phi_clean ** 1.3 * (1 - 0.03 * fouling)
    sm = surge_line(phi, fouling) / pr - 1
    shake = np.clip((0.05 - sm) / 0.05, 0, 1)
    eta = ETA0 - 0.25 * (n - 1) ** 2 - 0.06 * (1 - igv / 100) ** 2 - 0.05 * fouling - 0.04 * shake
    p1 = ambient_bar - 0.01 * phi * phi
    mdot = MDOT0 * phi * (p1 / 1.01325) / np.sqrt(theta)
    t2 = t1 * (1 + (pr ** K - 1) / eta)
    return {
        'n': n, 'phi': phi, 'inletBar': p1, 'inletK': t1, 'pressureRatio': pr, 'dischargeBar': p1 * pr,
        'dischargeK': t2, 'massFlowKgS': mdot, 'efficiency': eta, 'powerMw': mdot * CP * (t2 - t1) / 1000,
        'surgeMargin': sm, 'bearingRiseC': 50 + 12 * (speed / N0) ** 2,
    }


def check(points_path):
    """Largest relative difference between this port and the TypeScript points; raises past 1e-6."""
    pts = json.load(open(points_path))
    worst = 0.0
    for p in pts['points']:
        a = p['in']
        got = steady(np.float64(a['ambientC']), np.float64(a['ambientBar']), np.float64(a['speedRpm']),
                     np.float64(a['igvPct']), np.float64(a['fouling']))
        for k, want in p['out'].items():
            rel = abs(float(got[k]) - want) / max(abs(want), 1e-9)
            if rel > 1e-6:
                raise SystemExit(f'{points_path}: point {a}: {k} is {float(got[k])!r} in python, {want!r} in TypeScript')
            worst = max(worst, rel)
    return {'points': len(pts['points']), 'maxRelativeError': worst}


def sample_states(rng, n):
    """n true states of C-201: ambient, fouling, setpoints of its schedule (or wider), bearing wear offset."""
    wide = rng.random(n) < 0.3
    speed = np.where(wide, rng.uniform(*SPEED_LIMITS, n), rng.uniform(13_400, 14_100, n))
    igv = np.where(wide, rng.uniform(45, 100, n), rng.uniform(70, 100, n))
    return {
        'ambientC': rng.uniform(-5, 35, n),
        'ambientBar': 1.013 + 0.008 * rng.standard_normal(n),
        'fouling': rng.uniform(0, 1.2, n),
        'speed': speed,
        'igv': igv,
        # A worn bearing runs up to 35 C hotter: then a faster shaft can break the bearing limit.
        'bearingWear': np.where(rng.random(n) < 0.25, rng.uniform(0, 35, n), 0.0),
    }


def observe(rng, s):
    """What the instruments read in state s, [n, OBS_TAGS] raw units, with the simulator's noise; and the true point."""
    n = len(s['speed'])
    p = steady(s['ambientC'], s['ambientBar'], s['speed'], s['igv'], s['fouling'])
    noisy = lambda tag, v: v + NOISE[tag] * rng.standard_normal(n)
    p1m, p2m = noisy('Inlet_Pressure_bar', p['inletBar']), noisy('Discharge_Pressure_bar', p['dischargeBar'])
    t1m = noisy('Inlet_Temperature_C', p['inletK'] - 273.15) + 273.15
    t2m = noisy('Discharge_Temperature_C', p['dischargeK'] - 273.15) + 273.15
    # The performance monitor's efficiency, from the instruments as the simulator computes it.
    eff = 100 * t1m * ((p2m / p1m) ** K - 1) / (t2m - t1m)
    bearing = s['ambientC'] + p['bearingRiseC'] + s['bearingWear']
    obs = np.stack([
        noisy('Ambient_Temperature_C', s['ambientC']),
        noisy('Ambient_Pressure_bar', s['ambientBar']),
        t1m - 273.15,
        noisy('Mass_Flow_kg_s', p['massFlowKgS']),
        noisy('Shaft_Speed_rpm', s['speed']),
        noisy('IGV_Position_pct', s['igv']),
        eff,
        t2m - 273.15,
        noisy('Bearing_Temperature_C', bearing),
    ], axis=1)
    return obs, p


def targets(action):
    """Action in [-1, 1]^2 to (speed, IGV) targets, linear over the setpoint limits (the card's policy.actions)."""
    a = np.clip(action, -1, 1)
    speed = SPEED_LIMITS[0] + (a[:, 0] + 1) / 2 * (SPEED_LIMITS[1] - SPEED_LIMITS[0])
    igv = IGV_LIMITS[0] + (a[:, 1] + 1) / 2 * (IGV_LIMITS[1] - IGV_LIMITS[0])
    return speed, igv


def to_action(speed, igv):
    """(speed, IGV) setpoints to the policy's action space [-1, 1]^2 (the inverse of targets)."""
    return np.stack([2 * (speed - SPEED_LIMITS[0]) / (SPEED_LIMITS[1] - SPEED_LIMITS[0]) - 1,
                     2 * (igv - IGV_LIMITS[0]) / (IGV_LIMITS[1] - IGV_LIMITS[0]) - 1], axis=1)


def hold_duty(s, action, flow, iters=20):
    """The point nearest `action` (in action units) at which the compressor delivers `flow`: min-norm Newton
    steps onto the duty's level set, kept inside the limits. setpoint-advice.ts does the same in the app, so
    the policy only chooses where on the duty's curve to run, never how much air. Returns (action, reached)."""
    u = np.clip(action, -1, 1).astype(np.float64)
    h = 1e-6

    def m(v):
        sp, ig = targets(v)
        return steady(s['ambientC'], s['ambientBar'], sp, ig, s['fouling'])['massFlowKgS']

    for _ in range(iters):
        r = m(u) - flow
        g = np.stack([(m(u + [h, 0]) - m(u - [h, 0])) / (2 * h), (m(u + [0, h]) - m(u - [0, h])) / (2 * h)], axis=1)
        # A limit the point sits on takes no share of the step that would push it out.
        step_dir = -r[:, None] * g
        free = ~(((u >= 1) & (step_dir > 0)) | ((u <= -1) & (step_dir < 0)))
        gf = g * free
        u = np.clip(u - r[:, None] * gf / np.maximum((gf * gf).sum(axis=1, keepdims=True), 1e-12), -1, 1)
    return u, np.abs(m(u) - flow) / flow < 1e-6


def outcome(s, p0, speed, igv):
    """The true result of moving state s (true point p0) to (speed, igv): gain, duty change, margins."""
    p1 = steady(s['ambientC'], s['ambientBar'], speed, igv, s['fouling'])
    return {
        'powerSavedKw': 1000 * (p0['powerMw'] - p1['powerMw']),
        'powerSavedPct': 100 * (p0['powerMw'] - p1['powerMw']) / p0['powerMw'],
        'efficiencyPts': 100 * (p1['efficiency'] - p0['efficiency']),
        'dutyChangePct': 100 * (p1['massFlowKgS'] - p0['massFlowKgS']) / p0['massFlowKgS'],
        'surgeMarginPct': 100 * p1['surgeMargin'],
        'dischargeC': p1['dischargeK'] - 273.15,
        'bearingC': s['ambientC'] + p1['bearingRiseC'] + s['bearingWear'],
    }


def violations(o, s, p0, per_limit=False):
    """Per state, True where the move breaks a limit the current point keeps (a limit already broken at the
    current point is the duty's or the machine's, not the move's: there the move must not make it worse).
    per_limit: a dict of the three masks instead of their union."""
    sm0 = 100 * p0['surgeMargin']
    t20 = p0['dischargeK'] - 273.15
    b0 = s['ambientC'] + p0['bearingRiseC'] + s['bearingWear']
    v = {'Surge_Margin_pct': o['surgeMarginPct'] < np.minimum(SURGE_MIN_PCT, sm0) - 1e-6,
         'Discharge_Temperature_C': o['dischargeC'] > np.maximum(DISCHARGE_MAX_C, t20) + 1e-6,
         'Bearing_Temperature_C': o['bearingC'] > np.maximum(BEARING_MAX_C, b0) + 1e-6}
    return v if per_limit else v['Surge_Margin_pct'] | v['Discharge_Temperature_C'] | v['Bearing_Temperature_C']


def reward(o, s, p0):
    """Power saved (% of the current power), less a steep price on changing the duty and on breaking a limit.
    Cutting the flow 1 % saves ~1.7 % power, so the duty's price (3 per % and quadratic) makes it a loss."""
    d = np.abs(o['dutyChangePct'])
    r = o['powerSavedPct'] - 3 * d - 20 * d * d
    sm0 = 100 * p0['surgeMargin']
    t20 = p0['dischargeK'] - 273.15
    b0 = s['ambientC'] + p0['bearingRiseC'] + s['bearingWear']
    r -= 0.5 * np.maximum(0, np.minimum(SURGE_MIN_PCT, sm0) - o['surgeMarginPct'])
    r -= 0.5 * np.maximum(0, o['dischargeC'] - np.maximum(DISCHARGE_MAX_C, t20))
    r -= 0.5 * np.maximum(0, o['bearingC'] - np.maximum(BEARING_MAX_C, b0))
    return r - 2.0 * violations(o, s, p0)


def grid_optimum(s, p0, igv_step=0.1):
    """The ceiling: for each state, every IGV on a 0.1 % grid with the speed that holds the duty exactly
    (bisection), within the setpoint and constraint limits; the best power saving (0 if none beats standing still)."""
    n = len(s['speed'])
    best = {'powerSavedKw': np.zeros(n), 'speed': s['speed'].copy(), 'igv': s['igv'].copy()}
    for igv_v in np.arange(IGV_LIMITS[0], IGV_LIMITS[1] + 1e-9, igv_step):
        igv = np.full(n, igv_v)
        lo, hi = np.full(n, SPEED_LIMITS[0]), np.full(n, SPEED_LIMITS[1])
        for _ in range(40):  # flow rises with speed: bisect to the duty
            mid = (lo + hi) / 2
            m = steady(s['ambientC'], s['ambientBar'], mid, igv, s['fouling'])['massFlowKgS']
            up = m < p0['massFlowKgS']
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        speed = (lo + hi) / 2
        o = outcome(s, p0, speed, igv)
        ok = (np.abs(o['dutyChangePct']) < 1e-6) & ~violations(o, s, p0)
        better = ok & (o['powerSavedKw'] > best['powerSavedKw'])
        best['powerSavedKw'] = np.where(better, o['powerSavedKw'], best['powerSavedKw'])
        best['speed'] = np.where(better, speed, best['speed'])
        best['igv'] = np.where(better, igv, best['igv'])
    return best


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--check':
        print(json.dumps(check(sys.argv[2])))
    else:
        raise SystemExit('usage: compressor_env.py --check points.json')
