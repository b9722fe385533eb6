// Shell completion scripts generated from the command tree itself, so a new command or flag completes without
// anyone editing a script. commander has no completion of its own, and the completion packages that exist
// call the program at every <TAB> (slow with our start-up) or are unmaintained; a static script is small.
import type { Command, Option } from 'commander';

/** Where a flag's value comes from when completing it. */
export type ValueSource = { kind: 'words'; words: readonly string[] } | { kind: 'file' } | { kind: 'none' };

export interface FlagSpec {
  names: readonly string[];
  /** Undefined for a flag that takes no value. */
  value: ValueSource | undefined;
}

export interface CommandSpec {
  /** Subcommand names from the root, e.g. `operator init`; '' for the root. */
  path: string;
  subcommands: readonly string[];
  flags: readonly FlagSpec[];
  /** Choices of the positional arguments, e.g. `bash zsh`. */
  argumentChoices: readonly string[];
}

// Placeholders that name a file or directory: `--kubeconfig <file>`, `-o, --output <dir>`.
const filePlaceholder = /<(file|dir)>/;

function valueSource(option: Option): ValueSource | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { kind: 'words', words: option.argChoices };
  return filePlaceholder.test(option.flags) ? { kind: 'file' } : { kind: 'none' };
}

function flagSpec(option: Option): FlagSpec {
  const names = [option.short, option.long].filter((n): n is string => n !== undefined);
  return { names, value: valueSource(option) };
}

const helpFlag: FlagSpec = { names: ['-h', '--help'], value: undefined };

/** Every command of the tree, depth first, with what completes after it. */
export function commandSpecs(program: Command): CommandSpec[] {
  const specs: CommandSpec[] = [];
  const walk = (command: Command, path: string): void => {
    specs.push({
      path,
      subcommands: command.commands.map((c) => c.name()),
      flags: [...command.options.filter((o) => !o.hidden).map(flagSpec), helpFlag],
      argumentChoices: command.registeredArguments.flatMap((a) => a.argChoices ?? []),
    });
    for (const sub of command.commands) walk(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  walk(program, '');
  return specs;
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;
const words = (list: readonly string[]): string => quote(list.join(' '));

function caseFunction(name: string, arms: readonly [string, string][]): string {
  const body = arms.map(([pattern, value]) => `    ${pattern}) echo ${value} ;;`).join('\n');
  return `${name}() {\n  case "$1" in\n${body}\n    *) return 1 ;;\n  esac\n}\n`;
}

function valueWords(source: ValueSource): string {
  if (source.kind === 'file') return quote('<file>');
  return source.kind === 'words' ? words(source.words) : "''";
}

/** `path|flag` arms for every flag that takes a value; the root's (global) flags match under any path. */
function valueArms(specs: readonly CommandSpec[]): [string, string][] {
  const arms: [string, string][] = [];
  const root = specs.find((s) => s.path === '');
  for (const spec of [...specs.filter((s) => s !== root), ...(root ? [root] : [])]) {
    for (const flag of spec.flags) {
      if (flag.value === undefined) continue;
      const pattern = (n: string): string =>
        spec === root ? `*${quote(`|${n}`)}` : quote(`${spec.path}|${n}`);
      arms.push([flag.names.map(pattern).join('|'), valueWords(flag.value)]);
    }
  }
  return arms;
}

// mapfile is bash only; a read loop fills COMPREPLY under zsh's bashcompinit too. No variable is named
// `path`: zsh ties that name to PATH.
const driver = `_meshop_reply() {
  local line
  while IFS= read -r line; do COMPREPLY+=("$line"); done
}
_meshop() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmds="" word values i
  COMPREPLY=()
  # The subcommands typed so far, skipping flags and the values of flags that take one.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ "$word" == -* ]]; then
      _meshop_values "$cmds|$word" >/dev/null && i=$((i + 1))
      continue
    fi
    if [[ " $(_meshop_subcommands "$cmds") " == *" $word "* ]]; then
      cmds="\${cmds:+$cmds }$word"
    fi
  done
  if [[ "$prev" == -* ]] && values="$(_meshop_values "$cmds|$prev")"; then
    if [[ "$values" == '<file>' ]]; then
      _meshop_reply < <(compgen -f -- "$cur")
    else
      _meshop_reply < <(compgen -W "$values" -- "$cur")
    fi
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    # The command's own flags and the global ones, each once.
    values="$({ _meshop_flags "$cmds"; _meshop_flags ''; } | tr ' ' '\\n' | sort -u)"
    _meshop_reply < <(compgen -W "$values" -- "$cur")
    return 0
  fi
  _meshop_reply < <(compgen -W "$(_meshop_subcommands "$cmds") $(_meshop_arguments "$cmds")" -- "$cur")
}
complete -F _meshop meshop
`;

export function bashCompletion(program: Command): string {
  const specs = commandSpecs(program);
  const arms = (pick: (s: CommandSpec) => readonly string[]): [string, string][] =>
    specs.filter((s) => pick(s).length > 0).map((s) => [quote(s.path), words(pick(s))]);
  return [
    '# bash completion for meshop, generated by `meshop completion bash`.',
    '# Load it with: source <(meshop completion bash)',
    caseFunction(
      '_meshop_subcommands',
      arms((s) => s.subcommands),
    ),
    caseFunction(
      '_meshop_flags',
      arms((s) => s.flags.flatMap((f) => f.names)),
    ),
    caseFunction(
      '_meshop_arguments',
      arms((s) => s.argumentChoices),
    ),
    '# Flags that take a value, "<path>|<flag>": the words to offer, or <file> for file names.',
    caseFunction('_meshop_values', valueArms(specs)),
    driver,
  ].join('\n');
}

/** zsh runs the bash script through its bashcompinit layer, so both shells complete the same way. */
export function zshCompletion(program: Command): string {
  return [
    '#compdef meshop',
    '# zsh completion for meshop, generated by `meshop completion zsh`.',
    '# Load it with: source <(meshop completion zsh)',
    '(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }',
    'autoload -U +X bashcompinit && bashcompinit',
    bashCompletion(program),
  ].join('\n');
}
