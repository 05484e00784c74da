"""The recipes train.py can run (RUL_RECIPE=name), each one a candidate weighed on validation engines before its
test figures are looked at (README, "What was tried"). Fields:
  net        'convlstm' (version 2.0.0's conv + LSTM) or 'dcnn' (Li et al. 2018's deep 1-D CNN)
  window     cycles per window; a test engine shorter than it gets its first cycle repeated in front
  cap        the piecewise-linear target's ceiling, cycles
  scaling    what the net sees of the card's min-max [0, 1] input: 'minmax' as is, 'minmax11' mapped to
             [-1, 1] (Li et al., centred for tanh), 'standard' the training mean and std per sensor
  alpha      exponential smoothing of each sensor over the window (None: none)
  lr, batch, share, epochs, patience, schedule
             Adam's learning rate and batch; each epoch visits 1/share of the windows; 'plateau': the lr is halved
             after 3 epochs without a better validation RMSE and training stops after `patience`, at most `epochs`;
             'cosine': the lr falls to lr/200 over `epochs`
  select     the validation measure that picks the best epoch: 'every5' (every 5th window of the held-out engines
             against min(125, cycles left), versions 1 and 2) or 'cuts' (the test protocol's shape: each held-out
             engine cut at every cycle that leaves it at most 145 cycles (RUL_FD001's range) and at least 31
             cycles long (test_FD001's shortest), its last window against the true, uncapped cycles left)
"""

CONVLSTM = dict(net='convlstm', window=30, cap=125.0, scaling='minmax', alpha=None, lr=2e-3, batch=256, share=2,
                epochs=40, patience=6, schedule='plateau', select='every5')
# Li et al. trained 250 epochs of every window at lr 1e-3 and batch 512. A step of this net costs 6x one of the
# conv + LSTM on this CPU, which other jobs shared, so here: at most 16 epochs of half the windows (8 passes),
# with version 2's plateau schedule and early stopping on the test-shaped measure.
DCNN = dict(net='dcnn', window=30, cap=125.0, scaling='minmax11', alpha=None, lr=1e-3, batch=256, share=2,
            epochs=16, patience=6, schedule='plateau', select='cuts')

RECIPES = {
    # Version 2.0.0 as shipped (its card's figures); kept so it can be re-run beside the candidates.
    'convlstm': CONVLSTM,
    # Tried second for version 2, because the validation RMSE still jumped 2-3 cycles between late epochs; it
    # validated worse (README).
    'convlstm-cosine': {**CONVLSTM, 'schedule': 'cosine', 'epochs': 30},
    # (b) Li et al. 2018 as published (window 30, cap 125, [-1, 1] scaling): RMSE 12.61 on FD001.
    'dcnn': DCNN,
    # (d) per-sensor standardisation instead of min-max: with kernels shared across sensors, the sensors' relative
    # amplitudes are what the network sees, and min-max lets one outlier cycle squash a sensor's range.
    'dcnn-standard': {**DCNN, 'scaling': 'standard'},
    # (a) exponential smoothing of the noisy sensors before the convolutions.
    'dcnn-smooth': {**DCNN, 'alpha': 0.3},
    # (a) a longer window: more of the trend, at the cost of padding the 4 shortest test engines (31-39 cycles).
    'dcnn-w40': {**DCNN, 'window': 40},
    # (c) the other common ceiling.
    'dcnn-cap130': {**DCNN, 'cap': 130.0},
}
