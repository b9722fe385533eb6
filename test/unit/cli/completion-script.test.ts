// Shell completion generated from the command tree: what a small tree turns into, and that bash can load the
// real script and complete with it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Argument, Command, Option } from 'commander';
import { bashCompletion, commandSpecs } from '../../../src/cli/view/completion-script.ts';

const meshop = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));

function smallTree(): Command {
  const program = new Command('meshop').option('--kubeconfig <file>', 'kubeconfig');
  const operator = program.command('operator');
  operator
    .command('init')
    .option('-n, --namespace <namespace>', 'ns')
    .addOption(new Option('-o, --output <format>', 'format').choices(['yaml', 'json']))
    .option('--dry-run', 'dry run');
  program.command('completion').addArgument(new Argument('<shell>').choices(['bash', 'zsh']));
  return program;
}

/** What bash offers for `words` (the last one being completed), with `script` loaded. */
function complete(script: string, words: string[]): string[] {
  const program = `${script}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${String(words.length - 1)}
_meshop; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', program], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

describe('completion scripts', () => {
  it('describes each command: subcommands, flags with what their values are, argument choices', () => {
    const specs = commandSpecs(smallTree());
    assert.deepEqual(
      specs.map((s) => [s.path, s.subcommands, s.argumentChoices]),
      [
        ['', ['operator', 'completion'], []],
        ['operator', ['init'], []],
        ['operator init', [], []],
        ['completion', [], ['bash', 'zsh']],
      ],
    );
    assert.deepEqual(specs.find((s) => s.path === 'operator init')?.flags, [
      { names: ['-n', '--namespace'], value: { kind: 'none' } },
      { names: ['-o', '--output'], value: { kind: 'words', words: ['yaml', 'json'] } },
      { names: ['--dry-run'], value: undefined },
      { names: ['-h', '--help'], value: undefined },
    ]);
    assert.deepEqual(specs[0]?.flags[0], { names: ['--kubeconfig'], value: { kind: 'file' } });
  });

  it('completes subcommands, flags, flag values and arguments in bash', () => {
    const script = bashCompletion(smallTree());
    assert.deepEqual(complete(script, ['meshop', 'op']), ['operator']);
    assert.deepEqual(complete(script, ['meshop', 'operator', '']), ['init']);
    // Global flags and their values are skipped when finding the command.
    assert.deepEqual(complete(script, ['meshop', '--kubeconfig', 'x', 'operator', 'init', '-o', 'j']), [
      'json',
    ]);
    assert.deepEqual(complete(script, ['meshop', 'operator', 'init', '--d']), ['--dry-run']);
    // A flag value that is free text offers nothing rather than subcommands.
    assert.deepEqual(complete(script, ['meshop', 'operator', 'init', '-n', '']), []);
    assert.deepEqual(complete(script, ['meshop', 'completion', '']), ['bash', 'zsh']);
    // --kubeconfig takes a file name: files of the working directory are offered.
    assert.ok(
      complete(script, ['meshop', '--kubeconfig', 'completion-scr']).includes('completion-script.test.ts'),
    );
  });

  it("meshop's own script loads in bash and registers the completion", () => {
    const r = spawnSync(
      'bash',
      ['-c', `source <("${process.execPath}" "${meshop}" completion bash) && complete -p meshop`],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'complete -F _meshop meshop\n');
  });

  it("meshop's zsh script wraps the bash one through bashcompinit", () => {
    const r = spawnSync(process.execPath, [meshop, 'completion', 'zsh'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^#compdef meshop\n/);
    assert.match(r.stdout, /bashcompinit/);
    assert.match(r.stdout, /complete -F _meshop meshop/);
  });

  it('refuses an unknown shell as a usage error', () => {
    const r = spawnSync(process.execPath, [meshop, 'completion', 'fish'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      "meshop: command-argument value 'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh. " +
        '(run meshop --help for usage)\n',
    );
  });
});
