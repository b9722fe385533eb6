// `meshop version`: the client's version and, when a cluster is reachable, the API server's.
import type { Command } from 'commander';
import type { GlobalOptions } from '../global-options.ts';
import { kubeSource } from '../global-options.ts';

export interface VersionInfo {
  client: string;
  server?: string;
}

export function addVersionCommand(program: Command, clientVersion: string): void {
  program
    .command('version')
    .description("print meshop's version and the Kubernetes API server's")
    .option('--client', 'print only the client version, without contacting the cluster')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (opts: { client?: boolean; output: string }) => {
      const info: VersionInfo = { client: clientVersion };
      if (!opts.client) info.server = await serverVersion(program.opts<GlobalOptions>());
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(info)}\n` : formatText(info));
    });
}

async function serverVersion(global: GlobalOptions): Promise<string> {
  // Loaded on demand: the Kubernetes client costs most of the CLI's start-up time.
  const { connect } = await import('../../kube/index.ts');
  const kube = connect(kubeSource(global));
  const version = (await kube.transport.json({
    method: 'GET',
    path: '/version',
    what: 'get server version',
  })) as {
    gitVersion?: string;
  };
  return version.gitVersion ?? 'unknown';
}

function formatText(info: VersionInfo): string {
  return `client: ${info.client}\n` + (info.server === undefined ? '' : `server: ${info.server}\n`);
}
