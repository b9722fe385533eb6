// `meshop tag list|set|remove`: revision tags are stable names namespaces use (istio.io/rev=prod-stable) for a
// revision that changes. set and remove edit spec.revisionTags of the MeshConfig; the operator moves the
// webhooks, and `tag list` shows when it has.
import type { Command } from 'commander';
import type { ObjectClient } from '../../kube/index.ts';
import type { StoredMesh } from '../cluster-meshes.ts';
import { clusterClient, listMeshes, meshName, meshRefOf, pickMesh } from '../cluster-meshes.ts';
import { InputError } from '../exit-codes.ts';
import type { GlobalOptions } from '../global-options.ts';
import { formatTagRows, tagLabel, tagRows, tagSetProblem, tagWebhookOf } from '../revision-tags.ts';
import type { TagWebhook } from '../revision-tags.ts';

interface TagOptions extends GlobalOptions {
  name?: string;
  revision?: string;
}

const webhookType = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };

const groupExamples = `
Examples:
  meshop tag list
  meshop tag set prod-canary --revision prod-1-31-0
  meshop tag remove prod-canary`;

const listExamples = `
Examples:
  # Every tag: what the spec asks, what the status says is applied, where the live webhook points
  meshop tag list
  meshop tag list --name prod

STATE is Applied (the webhook points where the spec says), Pending (the operator has not caught up yet) or
NotInSpec (no spec asks for it: being removed, or made by istioctl tag set). Exit codes: 0; 3 when the cluster
cannot be reached.`;

const setExamples = `
Examples:
  # The canary step: namespaces labelled istio.io/rev=prod-canary get the new revision at their next restart
  meshop tag set prod-canary --revision prod-1-31-0
  # A tag that always follows the mesh's active revision
  meshop tag set prod-stable --revision active --name prod

Exit codes: 0 set (or already so); 2 a tag named like a revision of the mesh, an unknown revision, no or
several MeshConfigs without --name; 3 when the cluster cannot be reached or refuses the change.`;

const removeExamples = `
Examples:
  meshop tag remove prod-canary
  meshop tag remove prod-canary --name prod

Exit codes: 0 removed; 2 no such tag in spec.revisionTags, or no MeshConfig chosen; 3 cluster errors.`;

async function liveTagWebhooks(client: ObjectClient): Promise<TagWebhook[]> {
  const { items } = await client.list(webhookType, { labelSelector: tagLabel });
  return items.map(tagWebhookOf);
}

async function list(opts: TagOptions): Promise<void> {
  const client = await clusterClient(opts);
  const all = await listMeshes(client);
  const meshes = opts.name === undefined ? all : [pickMesh(all, opts.name)];
  const hooks = await liveTagWebhooks(client);
  // With --name, webhooks of other meshes and foreign ones are not this mesh's business.
  const shown = opts.name === undefined ? hooks : hooks.filter((h) => h.mesh === opts.name);
  process.stdout.write(formatTagRows(tagRows(meshes, shown)));
}

async function chosenMesh(opts: TagOptions): Promise<{ client: ObjectClient; mesh: StoredMesh }> {
  const client = await clusterClient(opts);
  return { client, mesh: pickMesh(await listMeshes(client), opts.name) };
}

async function set(tag: string, opts: TagOptions & { revision: string }): Promise<void> {
  const { client, mesh } = await chosenMesh(opts);
  const problem = tagSetProblem(mesh, tag, opts.revision);
  if (problem !== undefined) throw new InputError(problem);
  const was = mesh.spec?.revisionTags?.[tag];
  const name = meshName(mesh);
  if (was === opts.revision) {
    process.stdout.write(`tag ${tag} already points at ${opts.revision} in MeshConfig ${name}\n`);
    return;
  }
  await client.mergePatch(meshRefOf(name), { spec: { revisionTags: { [tag]: opts.revision } } });
  const from = was === undefined ? '' : ` (was ${was})`;
  process.stdout.write(
    `tag ${tag} -> ${opts.revision} set in MeshConfig ${name}${from}; see it applied with: meshop tag list\n`,
  );
}

async function remove(tag: string, opts: TagOptions): Promise<void> {
  const { client, mesh } = await chosenMesh(opts);
  const tags = mesh.spec?.revisionTags ?? {};
  const name = meshName(mesh);
  if (!Object.hasOwn(tags, tag)) {
    const has = Object.keys(tags).sort().join(', ') || 'none';
    throw new InputError(`MeshConfig ${name} has no tag "${tag}" in spec.revisionTags (it has: ${has})`);
  }
  await client.mergePatch(meshRefOf(name), { spec: { revisionTags: { [tag]: null } } });
  process.stdout.write(`tag ${tag} removed from MeshConfig ${name}\n`);
}

export function addTagCommand(program: Command): void {
  const tag = program
    .command('tag')
    .description('list, set and remove revision tags')
    .addHelpText('after', groupExamples);
  tag
    .command('list')
    .description('show every revision tag, where it points and whether that is applied')
    .option('--name <mesh>', 'only the tags of this MeshConfig')
    .addHelpText('after', listExamples)
    .action(async (_opts: unknown, command: Command) => {
      await list(command.optsWithGlobals<TagOptions>());
    });
  tag
    .command('set <tag>')
    .description("point a tag at a revision of the mesh (spec.revisionTags), or at 'active'")
    .requiredOption(
      '--revision <revision>',
      "revision name, or 'active' to follow the mesh's active revision",
    )
    .option('--name <mesh>', 'the MeshConfig (optional when there is only one)')
    .addHelpText('after', setExamples)
    .action(async (name: string, _opts: unknown, command: Command) => {
      await set(name, command.optsWithGlobals<TagOptions & { revision: string }>());
    });
  tag
    .command('remove <tag>')
    .description('remove a tag from spec.revisionTags; the operator deletes its webhook')
    .option('--name <mesh>', 'the MeshConfig (optional when there is only one)')
    .addHelpText('after', removeExamples)
    .action(async (name: string, _opts: unknown, command: Command) => {
      await remove(name, command.optsWithGlobals<TagOptions>());
    });
}
