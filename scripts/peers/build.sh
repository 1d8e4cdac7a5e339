#!/usr/bin/env bash
# Build the peer tools from their Go modules at pinned versions, into a cache outside the
# repository: the validators kube-linter and kube-score (npm run bench:peers) and the
# NetworkPolicy analyzers netpol-analyzer and cyclonus (npm run reach:peers). Cached: a peer
# whose binary and version stamp exist is not rebuilt. Only the Go module proxy is needed
# (GOTOOLCHAIN=local: no toolchain download).
#
#   scripts/peers/build.sh                       # builds what is missing of all four
#   scripts/peers/build.sh netpol-analyzer cyclonus   # only these
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

ALL_PEERS=(kube-score kube-linter netpol-analyzer cyclonus)
WANTED=("$@")
[ ${#WANTED[@]} -eq 0 ] && WANTED=("${ALL_PEERS[@]}")
wanted() {
  local p
  for p in "${WANTED[@]}"; do [ "$p" = "$1" ] && return 0; done
  return 1
}

if ! command -v go >/dev/null 2>&1; then
  for peer in "${WANTED[@]}"; do
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

# build_pinned PEER MODULE VERSION PACKAGE: build PACKAGE from a throw-away main module whose
# go.mod requires exactly MODULE@VERSION. Unlike `go install pkg@version` this never asks the
# proxy for the module's version list (which it refuses for some modules: 403 seen for
# netpol-analyzer): only the exact version's .info/.mod/.zip and those of its dependencies.
build_pinned() {
  local peer="$1" module="$2" version="$3" pkg="$4"
  if [ -x "$BIN/$peer" ] && [ -s "$DIR/$peer.version" ]; then
    echo "$peer: cached $(cat "$DIR/$peer.version")"
    return 0
  fi
  local src="$DIR/src/$peer" log
  rm -rf "$src"
  mkdir -p "$src"
  log="$(mktemp)"
  # The local Go's own version on the go line, so no dependency's go line asks for a switch.
  printf 'module netkit.peers/%s\n\ngo %s\n\nrequire %s %s\n' "$peer" "$(go env GOVERSION | sed 's/^go//')" \
    "$module" "$version" > "$src/go.mod"
  echo "$peer: go build $pkg ($module $version, pinned go.mod)" >&2
  # -mod=mod lets the go command fill go.sum and the dependencies' requirements from the
  # required version's own go.mod (minimal version selection; no @latest look-up).
  if (cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" nice go build -o "$BIN/$peer" "$pkg") >"$log" 2>&1; then
    echo "$module@$version" > "$DIR/$peer.version"
    rm -f "$DIR/$peer.error" "$log"
    echo "$peer: built $module@$version"
    return 0
  fi
  { echo "go build $pkg ($module $version, pinned go.mod):"; tail -n 5 "$log"; } > "$DIR/$peer.error"
  rm -f "$log"
  echo "$peer: NOT BUILT (see $DIR/$peer.error)"
  cat "$DIR/$peer.error" >&2
}

# kube-score: the newest release the proxy lists (v1.20.0, 2025).
wanted kube-score && build kube-score github.com/zegl/kube-score/cmd/kube-score@v1.20.0

# NetworkPolicy analyzers for `npm run reach:peers` (issue 18): exact versions, pinned go.mod.
wanted netpol-analyzer && build_pinned netpol-analyzer github.com/np-guard/netpol-analyzer v1.4.4 \
  github.com/np-guard/netpol-analyzer/cmd/netpolicy
wanted cyclonus && build_pinned cyclonus github.com/mattfenwick/cyclonus v0.5.6 \
  github.com/mattfenwick/cyclonus/cmd/cyclonus

# kube-linter: its vanity module path first, newest release first; then the GitHub path
# (whose go.mod declares the vanity path, so the proxy usually refuses it too).
wanted kube-linter && build kube-linter \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.8.3 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.6 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.5 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.4 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.7.2 \
  golang.stackrox.io/kube-linter/cmd/kube-linter@v0.6.8 \
  github.com/stackrox/kube-linter/cmd/kube-linter@v0.7.6 \
  github.com/stackrox/kube-linter/cmd/kube-linter@v0.6.8
exit 0
