// `meshop profile list|dump`: a release's profiles (its own profile files), as istioctl's `profile` commands show
// them, but dumped as a MeshConfig so the output can be edited and applied.
import { Option } from 'commander';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { MeshConfigApiVersion, MeshConfigKind } from '../../api/index.ts';
import { loadArtifacts } from '../../artifacts/index.ts';
import type { IstioArtifacts } from '../../artifacts/index.ts';
import { defaultVersion, getRelease, UnknownVersionError } from '../../catalog/index.ts';
import type { IstioRelease } from '../../catalog/index.ts';
import { UnknownProfileError, baseProfileName, layeredProfile } from '../../profiles/index.ts';
import { formatComponents, profileSummaries } from '../../render/index.ts';
import type { ProfileSummary } from '../../render/index.ts';
import { PathError, SetFlagError, applySetFlags, deepMerge, isJsonObject } from '../../tree/index.ts';
import { defaultArtifactsRoot } from './artifacts-command.ts';
import { InputError } from '../exit-codes.ts';

interface ReleaseOptions {
  version: string;
  istioArtifacts: string;
}

const listFormats = ['table', 'json', 'yaml'] as const;
const dumpFormats = ['yaml', 'json'] as const;
// The name a dumped MeshConfig gets; a mesh is named by the user, the profile is only its starting point.
const dumpedMeshName = 'default';
const columnGap = '   ';

const listExamples = `
Examples:
  # Every profile of the newest release, what it installs and what it is for
  meshop profile list

  # The profiles of another release
  meshop profile list --version 1.30.8

  # The same as JSON, for scripts
  meshop profile list -o json
`;

const dumpExamples = `
Examples:
  # The full spec of the demo profile, layered over default, as a MeshConfig
  meshop profile dump demo

  # The minimal profile with a revision, as JSON
  meshop profile dump minimal --set revision=canary -o json

  # Start a MeshConfig from a profile, edit it, then apply it
  meshop profile dump ambient > mesh.yaml
`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Columns padded to their widest cell, kubectl style; the last column is not padded. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join(columnGap);
  return rows.map((row) => `${line(row)}\n`).join('');
}

function formatList(summaries: readonly ProfileSummary[], format: string): string {
  if (format === 'json') return `${JSON.stringify(summaries, null, 2)}\n`;
  if (format === 'yaml') return stringify(summaries, { lineWidth: 0 });
  const rows = summaries.map((s) => [s.name, formatComponents(s), s.description]);
  return formatTable([['NAME', 'COMPONENTS', 'DESCRIPTION'], ...rows]);
}

function isInputProblem(err: unknown): err is Error {
  return (
    err instanceof UnknownProfileError ||
    err instanceof UnknownVersionError ||
    err instanceof SetFlagError ||
    err instanceof PathError
  );
}

function releaseOf(opts: ReleaseOptions): { release: IstioRelease; artifacts: IstioArtifacts } {
  try {
    const release = getRelease(opts.version);
    return { release, artifacts: loadArtifacts(opts.istioArtifacts, release) };
  } catch (err) {
    if (isInputProblem(err)) throw new InputError(err.message, { cause: err });
    throw err;
  }
}

/**
 * Profile `name` of the release, layered over its `default`, with the `--set` flags over it, as a MeshConfig.
 * Its spec is what the profile's IstioOperator file says (plus `profile` and `version`), so rendering it renders
 * exactly what `profile: name` does.
 */
export function dumpProfile(
  name: string,
  sets: readonly string[],
  release: IstioRelease,
  artifacts: IstioArtifacts,
): Record<string, unknown> {
  try {
    const layered = layeredProfile(artifacts.profiles, name).spec;
    // The release's images, as the renderer puts them over the profile (its files name development builds).
    const profileSpec = deepMerge(isJsonObject(layered) ? layered : {}, {
      profile: name,
      version: release.version,
      hub: release.hub,
      tag: release.tag,
    });
    const spec = applySetFlags(profileSpec, sets);
    return {
      apiVersion: MeshConfigApiVersion,
      kind: MeshConfigKind,
      metadata: { name: dumpedMeshName },
      spec,
    };
  } catch (err) {
    if (isInputProblem(err)) throw new InputError(err.message, { cause: err });
    throw err;
  }
}

function releaseOptions(command: Command): Command {
  return command
    .option('--version <version>', 'Istio release whose profiles to read', defaultVersion)
    .option('--istio-artifacts <dir>', "root of Istio's per-version artifacts", defaultArtifactsRoot());
}

function addListCommand(profile: Command): void {
  releaseOptions(
    profile
      .command('list')
      .description("list the release's profiles with the components each enables")
      .addOption(new Option('-o, --output <format>', 'output format').choices(listFormats).default('table')),
  )
    .addHelpText('after', listExamples)
    .action((opts: ReleaseOptions & { output: string }) => {
      const { release, artifacts } = releaseOf(opts);
      process.stdout.write(formatList(profileSummaries(release, artifacts), opts.output));
    });
}

function addDumpCommand(profile: Command): void {
  releaseOptions(
    profile
      .command('dump')
      .description("print a profile's full spec, layered over the default profile, as a MeshConfig")
      .argument('[name]', 'profile name', baseProfileName)
      .addOption(
        new Option('-s, --set <path=value>', 'override a spec field, as in istioctl (repeatable)').argParser(
          collect,
        ),
      )
      .addOption(new Option('-o, --output <format>', 'output format').choices(dumpFormats).default('yaml')),
  )
    .addHelpText('after', dumpExamples)
    .action((name: string, opts: ReleaseOptions & { set?: string[]; output: string }) => {
      const { release, artifacts } = releaseOf(opts);
      const meshConfig = dumpProfile(name, opts.set ?? [], release, artifacts);
      const text =
        opts.output === 'json'
          ? `${JSON.stringify(meshConfig, null, 2)}\n`
          : stringify(meshConfig, { lineWidth: 0 });
      process.stdout.write(text);
    });
}

export function addProfileCommand(program: Command): void {
  const profile = program
    .command('profile')
    .description("Istio's installation profiles of a release: list them, or dump one as a MeshConfig");
  addListCommand(profile);
  addDumpCommand(profile);
}
