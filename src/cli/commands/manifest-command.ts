// `meshop manifest generate`: the objects a MeshConfig renders to, offline, byte for byte what the operator
// applies. For GitOps repos and reviews; needs no cluster.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { manifestFiles, objectsToYaml } from '../../render/index.ts';
import { defaultArtifactsRoot } from './artifacts-command.ts';
import { addManifestDiffCommand } from '../manifest-diff.ts';
import { loadMeshInput } from '../mesh-input.ts';
import { renderMeshConfig } from '../render-input.ts';

interface GenerateOptions {
  filename: string[];
  set: string[];
  output?: string;
  name?: string;
  istioArtifacts: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const examples = `
Examples:
  # The default profile, as one YAML stream
  meshop manifest generate
  # A MeshConfig from a file, with a canary revision, one file per component
  meshop manifest generate -f mesh.yaml --set revision=canary -o ./rendered
  # istioctl's --set paths work unchanged
  meshop manifest generate --set profile=demo --set values.pilot.autoscaleMin=2`;

function generate(opts: GenerateOptions): void {
  const mesh = loadMeshInput({ files: opts.filename, sets: opts.set, name: opts.name });
  const result = renderMeshConfig(mesh, opts.istioArtifacts);
  if (opts.output === undefined) {
    process.stdout.write(objectsToYaml(result.objects));
    return;
  }
  mkdirSync(opts.output, { recursive: true });
  for (const file of manifestFiles(result.components))
    writeFileSync(join(opts.output, file.name), file.content);
}

export function addManifestCommand(program: Command): void {
  const manifest = program
    .command('manifest')
    .description('render a MeshConfig to Kubernetes objects, offline');
  manifest
    .command('generate')
    .description('print the objects a MeshConfig renders to (what the operator would apply)')
    .option(
      '-f, --filename <file>',
      'MeshConfig file (repeatable; later files override earlier; - for stdin)',
      collect,
      [],
    )
    .option('--set <path=value>', 'set a spec field with istioctl path syntax (repeatable)', collect, [])
    .option('-o, --output <dir>', 'write one file per component into this directory instead of stdout')
    .option('--name <name>', 'metadata.name of the MeshConfig when no file names it')
    .option('--istio-artifacts <dir>', "root of Istio's per-version artifacts", defaultArtifactsRoot())
    .addHelpText('after', examples)
    .action((opts: GenerateOptions) => {
      generate(opts);
    });
  addManifestDiffCommand(manifest);
}
