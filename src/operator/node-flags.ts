// The V8 settings the operator process runs with, wherever it runs: the image's ENTRYPOINT, `make run`
// (hack/run.sh) and the tests' and benchmarks' operator processes (test/support/operator-process.ts);
// test/unit/installer/dockerfile.test.ts holds the image to this list.
//
// V8 sizes its young generation from the memory it sees, up to 16 MB a semi-space on a large machine, and a
// converged operator allocates so little that it never shrinks it again: measured on the project machine
// (README, Scale), a converged demo mesh held 172 MB of heap with 75 MB used. Semi-spaces of 4 MB keep the heap
// near what is live, for more frequent young collections, which are cheap when most objects die young, as the
// objects of one reconcile do.
export const operatorNodeFlags: readonly string[] = ['--max-semi-space-size=4'];
