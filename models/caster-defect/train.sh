#!/usr/bin/env bash
# Retrains caster-defect from the repository root (scripts/train-models.sh runs this): labelled
# casts from the caster simulator, resampled by Vigil's own resample-sequence.ts, then training,
# export to one ONNX graph and its check in onnxruntime-node. Also re-runs the converter's check
# on the real steel plates data, since the model's XGBoost member goes through that converter.
set -euo pipefail
data="${TMPDIR:-/tmp}/caster-defect-data"
node models/caster-defect/make-data.ts "$data"
/usr/bin/python3 models/__common__/xgboost_onnx_steel_plates.py
/usr/bin/python3 models/caster-defect/train.py "$data"
