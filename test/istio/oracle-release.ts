// Prints "<module version> <version> <hub>" of the newest catalogued release whose istio.io/istio module the
// proxy serves: the arguments of build-istioctl.sh for the oracle.
import { releases } from '../../src/catalog/index.ts';

const release = releases.find((r) => r.istioModule !== undefined);
if (!release?.istioModule) throw new Error('no catalogued Istio release has a Go module version');
console.log(`${release.istioModule} ${release.version} ${release.hub}`);
