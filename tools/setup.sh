#!/usr/bin/env bash
# Installs what brotr needs to build, run and test, idempotently.
#   tools/setup.sh          build and run dependencies (Debian packages)
#   tools/setup.sh --test   plus the test peers: PostgreSQL, stunnel4,
#                           microsocks, Node.js and the npm test packages,
#                           and Chromium for the web page's test
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

build_packages=(build-essential cmake pkg-config ccache git
  librocksdb-dev libpqxx-dev libpq-dev libboost1.81-dev libssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libsecp256k1-dev libzstd-dev
  libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  ca-certificates)
test_packages=(postgresql postgresql-contrib stunnel4 microsocks nodejs python3 procps wrk prometheus chromium)

packages=("${build_packages[@]}")
[ "${1:-}" = "--test" ] && packages+=("${test_packages[@]}")

sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  command -v npm >/dev/null || { DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq npm >/dev/null; }
  peers=$here/tests/peers
  stamp=$peers/node_modules/.brotr-installed
  if [ ! -f "$stamp" ] || [ "$peers/package.json" -nt "$stamp" ]; then
    echo "setup: installing npm test peers (better-sqlite3 builds from source, about a minute)"
    # Debian's nodejs ships its headers under /usr: native modules build against them.
    (cd "$peers" && npm_config_nodedir=/usr npm install --no-audit --no-fund --no-package-lock --loglevel=error)
    touch "$stamp"
  fi
fi
