#!/usr/bin/env bash
# Build the peer validators (kube-linter, kube-score) from their Go modules at pinned versions,
# into a cache outside the repository. Cached: a peer whose binary and version stamp exist is
# not rebuilt. Only the Go module proxy is needed (GOTOOLCHAIN=local: no toolchain download).
#
#   scripts/peers/build.sh            # builds what is missing, prints one line per peer
#   NETKIT_PEERS_DIR=/some/dir scripts/peers/build.sh
#
# Results go to $NETKIT_PEERS_DIR (default ~/.cache/netkit-peers):
#   bin/<peer>                the binary
#   <peer>.version            the module@version it was built from
#   <peer>.error              why it could not be built (every attempt's last error lines)
# A peer that cannot be built is not an error of this script (exit 0): compare.ts reports it.
set -uo pipefail

DIR="${NETKIT_PEERS_DIR:-$HOME/.cache/netkit-peers}"
BIN="$DIR/bin"
mkdir -p "$BIN"
export PATH="/usr/local/go/bin:$PATH"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0

if ! command -v go >/dev/null 2>&1; then
  for peer in kube-linter kube-score; do
    [ -x "$BIN/$peer" ] || echo "go is not installed (looked in PATH and /usr/local/go/bin)" > "$DIR/$peer.error"
  done
  echo "peers: go not found; nothing built" >&2
  exit 0
fi

# build PEER CANDIDATE...: CANDIDATE is `<package path>@<version>`; the first that installs wins,
# each is tried once.
build() {
  local peer="$1"; shift
  if [ -x "$BIN/$peer" ] && [ -s "$DIR/$peer.version" ]; then
    echo "$peer: cached $(cat "$DIR/$peer.version")"
    return 0
  fi
  local errors="" log
  log="$(mktemp)"
  for candidate in "$@"; do
    echo "$peer: go install $candidate" >&2
    if GOBIN="$BIN" nice go install "$candidate" >"$log" 2>&1; then
      echo "$candidate" > "$DIR/$peer.version"
      rm -f "$DIR/$peer.error" "$log"
      echo "$peer: built $candidate"
      return 0
    fi
    errors+="go install $candidate:"$'\n'"$(tail -n 3 "$log")"$'\n'
  done
  rm -f "$log"
  printf '%s' "$errors" > "$DIR/$peer.error"
  echo "$peer: NOT BUILT (see $DIR/$peer.error)"
  printf '%s' "$errors" >&2
}

# kube-score: the newest release the proxy lists (v1.20.0, 2025).
build kube-score github.com/zegl/kube-score/cmd/kube-score@v1.20.0

# kube-linter: its vanity module path first, newest release first; then the GitHub path
# (whose go.mod declares the vanity path, so the proxy usually refuses it too).
build kube-linter \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.8.3 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.6 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.5 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.4 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.2 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.6.8 \
  github.com/stackrox/kube-linter/cmd/kube-linter@v0.7.6 \
  github.com/stackrox/kube-linter/cmd/kube-linter@v0.6.8
exit 0
