#!/usr/bin/env bash
# Retrains compressor-rul from the repository root (scripts/train-models.sh runs this): generates
# the 1 Hz stretches with the project's compressor simulator, then trains the ensemble.
# Changing the compressor simulator means regenerating and retraining together.
set -euo pipefail
data="${TMPDIR:-/tmp}/compressor-rul-data"
node models/compressor-rul/make-data.ts "$data"
/usr/bin/python3 models/compressor-rul/train.py "$data"
npx prettier --write models/compressor-rul/model.json models/compressor-rul/golden.json >/dev/null
