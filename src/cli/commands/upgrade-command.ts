// `meshop upgrade --version V`: prints the plan (what gets installed, which tags and namespaces move, what
// restarts, the skew verdict), then changes spec.version (and the strategy) of the MeshConfig. The operator does
// the rest; the CLI only makes the change that starts it, so it is safe to interrupt at any point.
import { Option } from 'commander';
import type { Command } from 'commander';
import { UpdateStrategyType, formatValidationError, validateMeshConfig } from '../../api/index.ts';
import { getRelease, knownVersions } from '../../catalog/index.ts';
import type { ObjectClient } from '../../kube/index.ts';
import type { StoredMesh } from '../cluster-meshes.ts';
import { clusterClient, listMeshes, meshRefOf, meshType, pickMesh } from '../cluster-meshes.ts';
import { InputError } from '../exit-codes.ts';
import type { GlobalOptions } from '../global-options.ts';
import { SkewVerdict, revisionChange, upgradePlan } from '../upgrade-plan.ts';
import type { RevisionChange, UpgradePlan } from '../upgrade-plan.ts';
import { formatUpgradePlan } from '../view/upgrade-plan-text.ts';
import { namespacesUsing, scanWorkloads } from '../upgrade-workloads.ts';

interface UpgradeOptions extends GlobalOptions {
  version: string;
  strategy?: UpdateStrategyType;
  name?: string;
  dryRun?: boolean;
}

const examples = `
Examples:
  # See what moving to the next release would do, without changing anything
  meshop upgrade --version 1.31.0 --dry-run
  # A canary upgrade: the new version as its own revision beside the running one
  meshop upgrade --version 1.31.0 --strategy RevisionBased --name prod

The plan lists the revision installed or updated, tags with value "active" that move, namespaces relabelled
(updateStrategy.migrateNamespaces), workloads restarted (updateStrategy.restartWorkloads) and bare Pods/Jobs
that need a manual restart. Exit codes: 0 planned (--dry-run) or started; 1 refused by the version-skew guard
(annotation meshop.dev/allow-version-skew="true" on the MeshConfig overrides it) or the MeshConfig changed
meanwhile; 2 unknown version, invalid resulting spec, no or several MeshConfigs without --name; 3 cluster errors.`;

/** The spec as it would become must pass the same validation the operator applies. */
function checkNewSpec(change: RevisionChange): void {
  const obj = { ...meshType, metadata: { name: change.mesh }, spec: change.spec };
  const errors = validateMeshConfig(obj, { versions: knownVersions });
  if (errors.length > 0) {
    throw new InputError('the upgraded MeshConfig would be invalid:', {
      problems: errors.map(formatValidationError),
    });
  }
}

async function planFor(client: ObjectClient, mesh: StoredMesh, opts: UpgradeOptions): Promise<UpgradePlan> {
  const change = revisionChange(mesh, { version: opts.version, strategy: opts.strategy });
  checkNewSpec(change);
  const exclude = change.spec.updateStrategy?.restartWorkloads?.excludeNamespaces ?? [];
  const [namespaces, workloads] = await Promise.all([
    namespacesUsing(client, change.fromRevision),
    scanWorkloads(client, change.fromRevision, exclude),
  ]);
  return upgradePlan(mesh, change, { namespaces, workloads });
}

async function start(client: ObjectClient, mesh: StoredMesh, plan: UpgradePlan): Promise<void> {
  const { isConflict } = await import('../../kube/index.ts');
  // The plan was made from this resourceVersion; if someone changed the MeshConfig since, the plan is stale.
  const patch = { metadata: { resourceVersion: mesh.metadata.resourceVersion }, ...plan.patch };
  try {
    await client.mergePatch(meshRefOf(plan.mesh), patch);
  } catch (err) {
    if (isConflict(err)) {
      const why = `MeshConfig ${plan.mesh} changed while the plan was made; nothing was changed, run again`;
      throw new Error(why, { cause: err });
    }
    throw err;
  }
  process.stdout.write(
    `Upgrade started: MeshConfig ${plan.mesh} now asks for ${plan.toVersion} (${plan.strategy}).\n` +
      `Watch it with: meshop status --name ${plan.mesh}\n`,
  );
}

async function upgrade(opts: UpgradeOptions): Promise<void> {
  getRelease(opts.version); // an unknown version is refused before the cluster is asked anything
  const client = await clusterClient(opts);
  const mesh = pickMesh(await listMeshes(client), opts.name);
  const plan = await planFor(client, mesh, opts);
  process.stdout.write(formatUpgradePlan(plan));
  if (plan.noop) return;
  if (plan.skew.verdict === SkewVerdict.Refused) {
    throw new Error(`upgrade refused by the version-skew guard: ${plan.skew.problem ?? ''}`);
  }
  if (opts.dryRun === true) {
    process.stdout.write('Dry run: nothing was changed.\n');
    return;
  }
  await start(client, mesh, plan);
}

export function addUpgradeCommand(program: Command): void {
  program
    .command('upgrade')
    .description('move a mesh to another Istio version: print the plan, then change the MeshConfig')
    .requiredOption('--version <version>', `Istio version to run (${knownVersions.join(', ')})`)
    .addOption(
      new Option('--strategy <type>', "updateStrategy.type to use (default: keep the spec's)").choices(
        Object.values(UpdateStrategyType),
      ),
    )
    .option('--name <mesh>', 'the MeshConfig (optional when there is only one)')
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText('after', examples)
    .action(async (_opts: unknown, command: Command) => {
      await upgrade(command.optsWithGlobals<UpgradeOptions>());
    });
}
