#!/usr/bin/env bash
# Build etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and kubectl from the
# pinned Go modules of test/cluster/build into the cache directory (see lib.sh). Does nothing when
# all six binaries are already there. Prints the bin directory on stdout.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

missing=()
for c in "${COMPONENTS[@]}" "${TOOLS[@]}"; do [[ -x "$BIN_DIR/$c" ]] || missing+=("$c"); done
if ((${#missing[@]} == 0)) && [[ -f "$BIN_DIR/kwok-stages.yaml" ]]; then
  echo "$BIN_DIR"
  exit 0
fi

# The Go toolchain's usual place, for shells (CI, cron) whose PATH lacks it.
[[ -x /usr/local/go/bin/go ]] && PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || die "go not found on PATH (need Go >= 1.26; /usr/local/go/bin?)"
if ((${#missing[@]} > 0)); then
  log "building ${missing[*]} into $BIN_DIR (first time only: about 7 minutes on 2 cores, more while modules download)"
fi
mkdir -p "$BIN_DIR.tmp"
start=$(date +%s)

# Version stamps as the upstream release scripts set them (kubernetes hack/lib/version.sh,
# kwok hack/releases.sh), so /version reports the real release instead of v0.0.0-master.
minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
kwok_ldflags="-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${KUBE_VERSION#v}"

cd "$BUILD_MODULE"
export GOFLAGS="${GOFLAGS:-} -mod=readonly -trimpath" CGO_ENABLED=0
build() { # <output-name> <ldflags> <package>
  local out="$1" ldflags="$2" pkg="$3"
  [[ -x "$BIN_DIR/$out" ]] && return 0
  log "go build $pkg"
  nice -n 10 go build -ldflags "-s -w $ldflags" -o "$BIN_DIR.tmp/$out" "$pkg"
}
build etcd "" ./etcd
build kube-apiserver "$kube_ldflags" k8s.io/kubernetes/cmd/kube-apiserver
build kube-controller-manager "$kube_ldflags" k8s.io/kubernetes/cmd/kube-controller-manager
build kube-scheduler "$kube_ldflags" k8s.io/kubernetes/cmd/kube-scheduler
build kwok "$kwok_ldflags" sigs.k8s.io/kwok/cmd/kwok
build kubectl "$kube_ldflags" k8s.io/kubernetes/cmd/kubectl

# KWOK's default stages (what kwokctl configures: node-initialize, node heartbeat with lease,
# pod-ready, pod-complete, pod-delete), taken from the pinned module so they match the binary.
kwok_dir="$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
  echo "---"
  cat "$kwok_dir/kustomize/stage/$f"
done >"$BIN_DIR.tmp/kwok-stages.yaml"

mkdir -p "$BIN_DIR"
for f in "$BIN_DIR.tmp"/*; do [[ -e "$f" ]] && mv -f "$f" "$BIN_DIR/"; done
rmdir "$BIN_DIR.tmp" 2>/dev/null || true
log "build done in $(($(date +%s) - start))s"
echo "$BIN_DIR"
