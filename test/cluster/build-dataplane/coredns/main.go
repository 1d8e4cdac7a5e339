// Command coredns is CoreDNS v1.15.0 with only the plugins the data-plane step's Corefile uses
// (test/cluster/dataplane): bind, ready, errors and kubernetes. No forward, no cache: every
// answer comes from the kubernetes plugin reading the local API server.
//
// CoreDNS's own main imports core/plugin (every plugin) and uses the generated
// dnsserver.Directives; an external build sets Directives to its own ordered list instead (the
// order is the one of plugin.cfg, which decides the plugin chain).
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/ready"
)

func init() {
	dnsserver.Directives = []string{"bind", "ready", "errors", "kubernetes"}
}

func main() {
	coremain.Run()
}
