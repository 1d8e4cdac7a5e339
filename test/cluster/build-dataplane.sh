#!/usr/bin/env bash
# Build kube-proxy and CoreDNS for the data-plane step (test/cluster/dataplane) from the pinned Go
# modules of build-dataplane/kube-proxy (the same Kubernetes release and staging pins as build/)
# and build-dataplane/coredns (CoreDNS v1.15.0 with a trimmed plugin list, see its main.go), into
# a cache directory next to the control plane's. Does nothing when both binaries are there.
# Prints the bin directory on stdout.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

if [[ -x "$DATAPLANE_BIN_DIR/kube-proxy" && -x "$DATAPLANE_BIN_DIR/coredns" ]]; then
  echo "$DATAPLANE_BIN_DIR"
  exit 0
fi
[[ -x /usr/local/go/bin/go ]] && PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || die "go not found on PATH (need Go >= 1.26; /usr/local/go/bin?)"
log "building kube-proxy and coredns into $DATAPLANE_BIN_DIR (first time only)"
mkdir -p "$DATAPLANE_BIN_DIR.tmp"
start=$(date +%s)
export GOFLAGS="${GOFLAGS:-} -mod=readonly -trimpath" CGO_ENABLED=0

# Version stamps as in build.sh (kubernetes hack/lib/version.sh), so kube-proxy --version and
# its User-Agent carry the release.
minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
if [[ ! -x "$DATAPLANE_BIN_DIR/kube-proxy" ]]; then
  log "go build k8s.io/kubernetes/cmd/kube-proxy"
  (cd "$DATAPLANE_MODULES/kube-proxy" && nice -n 10 go build -ldflags "-s -w $kube_ldflags" -o "$DATAPLANE_BIN_DIR.tmp/kube-proxy" k8s.io/kubernetes/cmd/kube-proxy)
fi
if [[ ! -x "$DATAPLANE_BIN_DIR/coredns" ]]; then
  log "go build coredns $COREDNS_VERSION"
  (cd "$DATAPLANE_MODULES/coredns" && nice -n 10 go build -ldflags "-s -w" -o "$DATAPLANE_BIN_DIR.tmp/coredns" .)
fi
mkdir -p "$DATAPLANE_BIN_DIR"
for f in "$DATAPLANE_BIN_DIR.tmp"/*; do [[ -e "$f" ]] && mv -f "$f" "$DATAPLANE_BIN_DIR/"; done
rmdir "$DATAPLANE_BIN_DIR.tmp" 2>/dev/null || true
log "data-plane build done in $(($(date +%s) - start))s"
echo "$DATAPLANE_BIN_DIR"
