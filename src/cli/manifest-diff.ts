// `meshop manifest diff A B`: what changes between the renders of two MeshConfig files (a GitOps review), or
// with --cluster between the cluster and what the operator would make of one file. Exits like diff(1).
import type { Command } from 'commander';
import type { KubeObject } from '../kube/index.ts';
import { defaultArtifactsRoot } from './commands/artifacts-command.ts';
import { clusterClient } from './cluster-meshes.ts';
import { InputError } from './exit-codes.ts';
import type { GlobalOptions } from './global-options.ts';
import { loadMeshInput } from './mesh-input.ts';
import { diffObjects, diffSummary, formatObjectDiff, hasDifferences } from './view/object-diff.ts';
import type { DiffLabels } from './view/object-diff.ts';
import { renderMeshConfig } from './render-input.ts';

interface DiffOptions extends GlobalOptions {
  set: string[];
  cluster?: boolean;
  istioArtifacts: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const examples = `
Examples:
  # What a change to a MeshConfig file does to the objects, before it is merged
  meshop manifest diff main/mesh.yaml pr/mesh.yaml
  # What the operator would change in the cluster if it applied this file now
  meshop manifest diff mesh.yaml --cluster

Output: objects only in A, objects only in B, then a unified diff of the YAML of each changed object. With
--cluster, A is the cluster (the objects the mesh owns) and B what the operator's apply would leave (a
server-side dry run; nothing is written). Exit codes, as diff(1): 0 no differences (and no output), 1 differences
(a summary line on stderr), 2 bad input (unreadable or invalid file), 3 cluster errors.`;

interface Rendered {
  mesh: string;
  objects: KubeObject[];
}

function renderFile(file: string, opts: DiffOptions): Rendered {
  const mesh = loadMeshInput({ files: [file], sets: opts.set });
  return {
    mesh: mesh.metadata.name ?? '',
    objects: renderMeshConfig(mesh, opts.istioArtifacts, file).objects,
  };
}

async function sides(a: string, b: string | undefined, opts: DiffOptions) {
  const first = renderFile(a, opts);
  if (opts.cluster !== true) {
    if (b === undefined) throw new InputError('manifest diff needs two files, or one file and --cluster');
    return { labels: { a, b }, before: first.objects, after: renderFile(b, opts).objects };
  }
  if (b !== undefined) throw new InputError('manifest diff --cluster takes one file, not two');
  const { clusterSides } = await import('./manifest-cluster.ts');
  const client = await clusterClient(opts);
  const { live, wouldBe } = await clusterSides(client, first.mesh, first.objects);
  const labels: DiffLabels = { a: 'cluster', b: `render of ${a}` };
  return { labels, before: live, after: wouldBe };
}

async function diff(a: string, b: string | undefined, opts: DiffOptions): Promise<void> {
  const { labels, before, after } = await sides(a, b, opts);
  const result = diffObjects(before, after, labels);
  if (!hasDifferences(result)) return;
  process.stdout.write(formatObjectDiff(result, labels));
  // Like diff(1): differences are exit 1. The summary goes to stderr so stdout stays the diff alone.
  throw new Error(`the manifests differ: ${diffSummary(result, labels)}`);
}

export function addManifestDiffCommand(manifest: Command): void {
  manifest
    .command('diff <a> [b]')
    .description('object-level diff of the renders of two MeshConfig files, or of one file and the cluster')
    .option(
      '--set <path=value>',
      'set a spec field in both renders (istioctl path syntax, repeatable)',
      collect,
      [],
    )
    .option('--cluster', 'compare the render of <a> with the live objects instead of a second file')
    .option('--istio-artifacts <dir>', "root of Istio's per-version artifacts", defaultArtifactsRoot())
    .addHelpText('after', examples)
    .action(async (a: string, b: string | undefined, _opts: unknown, command: Command) => {
      await diff(a, b, command.optsWithGlobals<DiffOptions>());
    });
}
