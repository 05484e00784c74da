#!/usr/bin/env bash
# Retrains compressor-rf from the repository root (scripts/train-models.sh runs this): labelled
# compressor simulator runs (runs.ts), then the forest, its ONNX graph, card and golden vectors.
set -euo pipefail
data="${TMPDIR:-/tmp}/compressor-rf-data"
node models/compressor-rf/make-data.ts "$data"
/usr/bin/python3 models/compressor-rf/train.py "$data"
npx prettier --write models/compressor-rf/model.json models/compressor-rf/golden.json >/dev/null
