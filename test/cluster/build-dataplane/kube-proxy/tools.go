//go:build tools

// Package tools pins kube-proxy for the data-plane step (test/cluster/dataplane), from the same
// Kubernetes release and staging module pins as ../../build, so `go mod tidy` keeps its
// dependencies in go.mod/go.sum. Built by ../build.sh with `go build -o <bindir> <package>`.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
