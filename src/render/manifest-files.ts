// A render as files, one per component, for GitOps repos that review a mesh component by component. Names are
// numbered in apply order, so `kubectl apply -f DIR` (which reads files in name order) applies CRDs first.
import type { RenderedComponent } from './component.ts';
import { sortObjects } from './object-order.ts';
import { objectsToYaml } from './yaml-output.ts';

export interface ManifestFile {
  name: string;
  content: string;
}

export function manifestFiles(components: readonly RenderedComponent[]): ManifestFile[] {
  const width = String(components.length).length;
  return components
    .filter((c) => c.objects.length > 0)
    .map((c, i) => ({
      name: `${String(i + 1).padStart(width, '0')}-${c.name}${c.instance ? `-${c.instance}` : ''}.yaml`,
      content: objectsToYaml(sortObjects(c.objects)),
    }));
}
