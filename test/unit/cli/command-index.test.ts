// The command index (src/cli/command-index.ts) stands in for the commands until one runs: `meshop --help` built
// from it must read exactly as the help of the whole command tree, and each entry must load the command it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { commandIndex } from '../../../src/cli/command-index.ts';
import { buildProgram, indexProgram } from '../../../src/cli/meshop.ts';

describe('the command index', () => {
  it('gives the same `meshop --help` as the whole command tree', async () => {
    const whole = await buildProgram();
    assert.equal(indexProgram().program.helpInformation(), whole.helpInformation());
    assert.deepEqual(
      commandIndex.map((e) => e.name),
      whole.commands.map((c) => c.name()),
    );
  });

  for (const entry of commandIndex) {
    it(`loads exactly the ${entry.name} command, as its help line says`, async () => {
      const program = new Command('meshop');
      (await entry.load())(program);
      assert.deepEqual(
        program.commands.map((c) => c.name()),
        [entry.name],
      );
      const [command] = program.commands;
      assert.ok(command);
      assert.equal(command.description(), entry.description);
      assert.equal(program.createHelp().subcommandTerm(command), entry.term);
    });
  }

  it('finds the command a run asks for, past global options', async () => {
    const { program, chosen } = indexProgram();
    await program.parseAsync(['--kubeconfig', 'k', 'status', '--all', 'x'], { from: 'user' });
    assert.equal(chosen()?.name, 'status');
  });
});
