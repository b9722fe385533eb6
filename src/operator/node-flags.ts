// The V8 settings the operator process runs with, wherever it runs: the image's ENTRYPOINT, `make run`
// (hack/run.sh) and the tests' and benchmarks' operator processes (test/support/operator-process.ts);
// test/unit/installer/dockerfile.test.ts holds the image to this list.
//
// V8 sizes its heap from the memory it sees: on a large machine it lets the heap grow far past what is live before
// it collects, and a converged operator allocates so little that it never gets round to it. Measured on the project
// machine (ADR 0025) with 5 converged meshes: 257 MB of heap reserved, 157 MB used, 31 MB live (a heap snapshot).
// Semi-spaces of 4 MB cap the young generation, for more frequent young collections, cheap when most objects die
// young, as the objects of one reconcile do. `--optimize-for-size` (V8 grows the old generation conservatively and
// collects sooner) was measured and left out: in bench/scale RSS 106-151 MB instead of 160-271 MB, but reconciles
// took twice as long under churn (p99 1.17 s at 5,000 pods instead of 0.47 s) and a full resync 2.3-6.4 s
// (ADR 0025). A user who prefers the memory can add it to the Deployment's command.
// `--expose-gc` lets the idle memory reclaimer (src/runtime/idle-memory.ts) run V8's memory-reducing collection
// once the operator has gone quiet: a normal collection leaves freed heap pages pooled and resident (ADR 0026).
export const operatorNodeFlags: readonly string[] = ['--max-semi-space-size=4', '--expose-gc'];
