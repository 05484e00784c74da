#!/usr/bin/env bash
# Retrains skab-ae from the repository root (scripts/train-models.sh runs this). SKAB is read from
# $VIGIL_DATASETS/skab (default ../shared/datasets/skab); nothing is generated. ~10 min on one core.
set -euo pipefail
/usr/bin/python3 models/skab-ae/train.py
npx prettier --write models/skab-ae/model.json models/skab-ae/golden.json >/dev/null
