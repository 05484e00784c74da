#!/usr/bin/env bash
# Retrains compressor-ppo from the repository root (scripts/train-models.sh runs this): the
# TypeScript physics writes operating points, train.py checks its Python port against them,
# trains the policy (a few minutes on one thread) and writes model.onnx, model.json, golden.json.
set -euo pipefail
data="${TMPDIR:-/tmp}/compressor-ppo"
node models/compressor-ppo/physics-points.ts "$data/points.json"
/usr/bin/python3 models/compressor-ppo/train.py "$data/points.json"
