// Command chart-engine renders a Helm chart. Built for wasip1 with -buildmode=c-shared it is a WebAssembly
// reactor whose exported functions meshop calls from Node (see exports_wasip1.go); built natively or as a
// wasip1 command it reads one JSON request on stdin and writes the JSON response on stdout, which is how the
// native timings in the ADR were taken.
package main

import (
	"io"
	"os"

	"meshop.local/chart-engine/render"
)

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		os.Stderr.WriteString("read request: " + err.Error() + "\n")
		os.Exit(2)
	}
	os.Stdout.Write(render.Handle(input))
}
