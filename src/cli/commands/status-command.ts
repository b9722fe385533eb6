// `meshop status`: what the operator reports about each mesh, read from the MeshConfigs' status. Read-only.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { StoredMesh } from '../cluster-meshes.ts';
import { clusterClient, listMeshes, pickMesh } from '../cluster-meshes.ts';
import type { GlobalOptions } from '../global-options.ts';
import { formatStatus } from '../view/status-format.ts';

export const StatusOutput = { Table: 'table', Wide: 'wide', Yaml: 'yaml', Json: 'json' } as const;
export type StatusOutput = (typeof StatusOutput)[keyof typeof StatusOutput];

interface StatusOptions extends GlobalOptions {
  name?: string;
  output: StatusOutput;
}

const examples = `
Examples:
  # Every mesh: version, readiness, revisions, tags, components, gateways, migration progress
  meshop status
  # One mesh, with the in-use details and every condition
  meshop status --name prod -o wide
  # The MeshConfig objects themselves, for scripts (a v1 List, or the object itself with --name)
  meshop status -o json | jq '.items[].status.activeRevision'

Exit codes: 0 also when there is no MeshConfig; 2 for an unknown --name; 3 when the cluster cannot be reached.`;

/** What -o yaml|json prints: the stored objects, without managedFields (as kubectl hides them). */
export function statusDocument(meshes: readonly StoredMesh[], single: boolean): unknown {
  const items = meshes.map((m) => {
    const metadata = { ...m.metadata };
    delete metadata.managedFields;
    return { ...m, metadata };
  });
  if (single && items.length === 1) return items[0];
  return { apiVersion: 'v1', kind: 'List', items };
}

async function status(opts: StatusOptions): Promise<void> {
  const client = await clusterClient(opts);
  let meshes = await listMeshes(client);
  if (opts.name !== undefined) meshes = [pickMesh(meshes, opts.name)];
  if (opts.output === StatusOutput.Json || opts.output === StatusOutput.Yaml) {
    const doc = statusDocument(meshes, opts.name !== undefined);
    // The YAML writer is loaded only for -o yaml: the table, what most runs print, starts without it (#14).
    const text =
      opts.output === StatusOutput.Json
        ? `${JSON.stringify(doc, null, 2)}\n`
        : (await import('yaml')).stringify(doc);
    process.stdout.write(text);
    return;
  }
  process.stdout.write(formatStatus(meshes, { wide: opts.output === StatusOutput.Wide }));
}

export function addStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'show each mesh: version, readiness, revisions and what uses them, tags, components, migration',
    )
    .option('--name <mesh>', 'only this MeshConfig')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(Object.values(StatusOutput))
        .default(StatusOutput.Table),
    )
    .addHelpText('after', examples)
    .action(async (_opts: unknown, command: Command) => {
      await status(command.optsWithGlobals<StatusOptions>());
    });
}
