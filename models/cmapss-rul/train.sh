#!/usr/bin/env bash
# Retrains cmapss-rul from the repository root (scripts/train-models.sh runs this). C-MAPSS FD001 is
# read from $VIGIL_DATASETS/cmapss (default ../shared/datasets/cmapss); nothing is generated.
set -euo pipefail
/usr/bin/python3 models/cmapss-rul/train.py
npx prettier --write models/cmapss-rul/model.json models/cmapss-rul/golden.json >/dev/null
