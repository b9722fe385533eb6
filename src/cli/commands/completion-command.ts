// `meshop completion bash|zsh`: prints a completion script for the shell, built from the command tree.
import { Argument } from 'commander';
import type { Command } from 'commander';
import { bashCompletion, zshCompletion } from '../view/completion-script.ts';

const scripts = { bash: bashCompletion, zsh: zshCompletion } as const;
type Shell = keyof typeof scripts;

const examples = `
Examples:
  # Complete meshop in the current bash session
  source <(meshop completion bash)

  # For every new bash session
  meshop completion bash > ~/.local/share/bash-completion/completions/meshop

  # zsh: in ~/.zshrc
  source <(meshop completion zsh)
`;

export function addCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script for bash or zsh')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(scripts)))
    .addHelpText('after', examples)
    .action((shell: Shell) => {
      process.stdout.write(scripts[shell](program));
    });
}
