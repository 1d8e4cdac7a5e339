//go:build tools

// Package tools pins the commands that test/cluster/up builds, so `go mod tidy` keeps their
// dependencies in go.mod/go.sum. Built with `go build -o <bindir> <package>` (see ../lib.sh).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
