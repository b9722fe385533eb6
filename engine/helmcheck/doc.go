// Package helmcheck holds only a test: it renders Istio's real charts with both Helm's own engine and ours and
// requires identical output. It is a module of its own so that Helm (and the Kubernetes client libraries it
// pulls in) never reach the WebAssembly build.
package helmcheck
