// Command etcd starts etcd's server from go.etcd.io/etcd/server/v3 (the same entry point as
// the upstream etcd binary, etcd's root main.go, which only forwards os.Args to etcdmain).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
