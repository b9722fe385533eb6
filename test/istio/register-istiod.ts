// `hack/run.sh` on a local control plane it started earlier: tells that cluster's pod runner which pilot-discovery
// each catalogued release's istiod image runs (a fresh `cluster-up` registers them itself).
import { registerPrograms } from '../cluster/pods/programs.ts';
import { istiodPrograms } from './istio-binaries.ts';

const clusterDir = process.argv[2];
if (!clusterDir) {
  process.stderr.write('usage: node test/istio/register-istiod.ts CLUSTER_DIR\n');
  process.exit(2);
}
registerPrograms(clusterDir, istiodPrograms());
