// `meshop profile list|dump`: the built-in profiles, as istioctl's `profile` commands show them, but dumped as
// a MeshConfig so the output can be edited and applied.
import { Option } from 'commander';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { MeshConfigApiVersion, MeshConfigKind } from '../api/index.ts';
import {
  UnknownPlatformError,
  UnknownProfileError,
  baseProfileName,
  describeProfiles,
  formatComponents,
  layerSpec,
} from '../profiles/index.ts';
import type { ProfileSummary } from '../profiles/index.ts';
import { PathError, SetFlagError, applySetFlags } from '../tree/index.ts';
import { InputError } from './exit-codes.ts';

const listFormats = ['table', 'json', 'yaml'] as const;
const dumpFormats = ['yaml', 'json'] as const;
// The name a dumped MeshConfig gets; a mesh is named by the user, the profile is only its starting point.
const dumpedMeshName = 'default';
const columnGap = '   ';

const listExamples = `
Examples:
  # Every built-in profile, what it installs and what it is for
  meshop profile list

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
    err instanceof UnknownPlatformError ||
    err instanceof SetFlagError ||
    err instanceof PathError
  );
}

/** Profile `name` with the `--set` flags over it, layered over `default`, as a MeshConfig. */
export function dumpProfile(name: string, sets: readonly string[]): Record<string, unknown> {
  try {
    const spec = layerSpec(applySetFlags({ profile: name }, sets));
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

function addListCommand(profile: Command): void {
  profile
    .command('list')
    .description('list the built-in profiles with the components each enables')
    .addOption(new Option('-o, --output <format>', 'output format').choices(listFormats).default('table'))
    .addHelpText('after', listExamples)
    .action((opts: { output: string }) => {
      process.stdout.write(formatList(describeProfiles(), opts.output));
    });
}

function addDumpCommand(profile: Command): void {
  profile
    .command('dump')
    .description("print a profile's full spec, layered over the default profile, as a MeshConfig")
    .argument('[name]', 'built-in profile name', baseProfileName)
    .addOption(
      new Option('-s, --set <path=value>', 'override a spec field, as in istioctl (repeatable)').argParser(
        collect,
      ),
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(dumpFormats).default('yaml'))
    .addHelpText('after', dumpExamples)
    .action((name: string, opts: { set?: string[]; output: string }) => {
      const meshConfig = dumpProfile(name, opts.set ?? []);
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
    .description("Istio's built-in installation profiles: list them, or dump one as a MeshConfig");
  addListCommand(profile);
  addDumpCommand(profile);
}
