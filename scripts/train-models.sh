#!/usr/bin/env bash
# Retrains the shipped models from their scripts: installs Debian's Python stack for it (there
# is no PyPI here) and runs each model folder's train.sh from the repository root.
#
#   bash scripts/train-models.sh               # every model
#   bash scripts/train-models.sh pump-ae cmapss-rul
#
# Each train.sh regenerates the data it needs (simulator runs via the project's Node 22, or
# ../shared/datasets) and rewrites model.onnx, model.json and golden.json in its folder; the
# models' tests (npm test) then check the new files. Training is deterministic per seed but
# not bit-exact across torch builds, so a retrain changes sha256 and the card's figures.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(python3-torch python3-sklearn python3-xgboost python3-onnx python3-pandas python3-numpy)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "train-models: needs ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "train-models: apt-get install ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The project's Node 22 (a devDependency) runs the TypeScript data generators.
export PATH="$PWD/node_modules/.bin:$PATH"

if [ $# -gt 0 ]; then names=("$@"); else
  names=()
  for f in models/*/train.sh; do names+=("$(basename "$(dirname "$f")")"); done
fi
for name in "${names[@]}"; do
  script="models/$name/train.sh"
  [ -f "$script" ] || { echo "train-models: $script does not exist" >&2; exit 1; }
  echo "== $name"
  start=$(date +%s)
  bash "$script"
  echo "== $name trained in $(($(date +%s) - start)) s"
done
