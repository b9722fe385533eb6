// The V8 settings the operator process runs with, wherever it runs: the image's ENTRYPOINT, `make run`
// (hack/run.sh) and the tests' and benchmarks' operator processes (test/support/operator-process.ts);
// test/unit/installer/dockerfile.test.ts holds the image to this list.
//
// V8 sizes its heap from the memory it sees: on a large machine it lets the heap grow far past what is live before
// it collects, and a converged operator allocates so little that it never gets round to it. Measured on the project
// machine (ADR 0025) with 5 converged meshes: 257 MB of heap reserved, 157 MB used, 31 MB live (a heap snapshot).
// Semi-spaces of 4 MB cap the young generation; --optimize-for-size makes V8 grow the old one conservatively and
// collect sooner (RSS 193 -> 106 MB for those meshes). Both cost more frequent collections, cheap when most objects
// die young, as the objects of one reconcile do; bench/scale shows the reconcile times with them.
export const operatorNodeFlags: readonly string[] = ['--max-semi-space-size=4', '--optimize-for-size'];
