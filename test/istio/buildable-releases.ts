// Prints "<module version> <version>", one line per catalogued release whose istio.io/istio module the
// proxy serves, newest first: the arguments of build-istio.sh (hack/istio.sh builds each).
import { releases } from '../../src/catalog/index.ts';

const buildable = releases.filter((r) => r.istioModule !== undefined);
if (buildable.length === 0) throw new Error('no catalogued Istio release has a Go module version');
for (const r of buildable) console.log(`${r.istioModule ?? ''} ${r.version}`);
