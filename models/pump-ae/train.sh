#!/usr/bin/env bash
# Retrains pump-ae from the repository root (scripts/train-models.sh runs this).
# Changing it means the pump simulator's frozen digest and this model move together.
set -euo pipefail
data="${TMPDIR:-/tmp}/pump-ae-data"
node models/pump-ae/make-data.ts "$data"
/usr/bin/python3 models/pump-ae/train.py "$data"
node models/pump-ae/baseline.ts
