// `meshop convert`: IstioOperator files to one MeshConfig on stdout. Whatever does not carry over is reported on
// stderr, one line per field, so nothing is lost without the user seeing it.
import { Option } from 'commander';
import type { Command } from 'commander';
import { parseAllDocuments, stringify } from 'yaml';
import { releases } from '../../catalog/index.ts';
import {
  ConversionError,
  convertIstioOperator,
  mergeIstioOperators,
  readIstioOperator,
} from '../../convert/index.ts';
import type { ConversionResult } from '../../convert/index.ts';
import type { JsonObject } from '../../tree/index.ts';
import { profileNames } from '../../profiles/index.ts';
import { InputError } from '../exit-codes.ts';
import { readInputFile } from '../read-input.ts';

interface ConvertOptions {
  filename: string[];
  name?: string;
  strict?: boolean;
}

const examples = `
Examples:
  # Convert an IstioOperator to a MeshConfig
  meshop convert -f istio-operator.yaml > mesh.yaml

  # Several files are merged in order, later ones winning, as istioctl install -f does
  meshop convert -f base.yaml -f production.yaml --name production

  # Fail (exit 2) instead of writing a MeshConfig that leaves any field out
  meshop convert -f istio-operator.yaml --strict

  # Read the IstioOperator from stdin
  kubectl get istiooperator -n istio-system installed-state -o yaml | meshop convert -f -
`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function readText(file: string): string {
  try {
    return readInputFile(file);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined;
    const problem = code === 'ENOENT' ? 'file not found' : `cannot read: ${String(code ?? err)}`;
    throw new InputError(`${file}: ${problem}`, { cause: err });
  }
}

/** The first line of a YAML parse error, without the colon that introduces its source excerpt. */
function yamlProblem(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:\s*$/, '');
}

/** The non-empty YAML documents of `file`, each checked to be an IstioOperator. */
function readIstioOperators(file: string): JsonObject[] {
  const values: unknown[] = [];
  for (const document of parseAllDocuments(readText(file))) {
    const error = document.errors[0];
    if (error !== undefined) throw new InputError(`${file}: not valid YAML: ${yamlProblem(error.message)}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  if (values.length === 0) throw new InputError(`${file}: no IstioOperator in the file`);
  return values.map((value, i) =>
    readIstioOperator(value, values.length === 1 ? file : `${file} (document ${i + 1})`),
  );
}

function convertFiles(opts: ConvertOptions): ConversionResult {
  try {
    const merged = mergeIstioOperators(opts.filename.flatMap(readIstioOperators));
    return convertIstioOperator(merged, { name: opts.name, profiles: profileNames, releases });
  } catch (err) {
    if (err instanceof ConversionError) throw new InputError(err.message, { cause: err });
    throw err;
  }
}

/** The lines that tell the user what did not carry over unchanged. */
export function reportLines(result: ConversionResult): string[] {
  return [
    ...result.notes.map((note) => `note: ${note}`),
    ...result.dropped.map((field) => `dropped ${field.path}: ${field.reason}`),
  ];
}

export function addConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert IstioOperator files (install.istio.io/v1alpha1) to one MeshConfig')
    .addOption(
      new Option('-f, --filename <file>', 'IstioOperator file, "-" for stdin (repeatable; later files win)')
        .argParser(collect)
        .makeOptionMandatory(),
    )
    .option('--name <name>', "the MeshConfig's name (default: the IstioOperator's, else default)")
    .option('--strict', 'exit 2 without output if any field cannot be carried over')
    .addHelpText('after', examples)
    .action((opts: ConvertOptions) => {
      const result = convertFiles(opts);
      const report = reportLines(result);
      if (report.length > 0) process.stderr.write(`${report.join('\n')}\n`);
      if (opts.strict === true && result.dropped.length > 0) {
        throw new InputError(
          `--strict: ${result.dropped.length} field(s) cannot be carried over; nothing written`,
        );
      }
      process.stdout.write(stringify(result.meshConfig, { lineWidth: 0 }));
    });
}
