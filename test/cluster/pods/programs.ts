// What the pod runner starts for an image: the image's entrypoint replaced by a local program. The table lives
// in a JSON file in the cluster directory, read afresh for every pod, so a test can add an image (the operator's)
// while the runner runs. Pods of the runner's labels whose image has no program are only marked Ready, as KWOK
// would do for any other pod.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ImageProgram {
  /** Replaces the image's ENTRYPOINT (and a container `command`'s first word, the binary inside the image). */
  entrypoint: readonly string[];
  /**
   * Appended to the container's arguments: a kubelet gives each pod its own network namespace, the runner gives
   * each its own loopback address, so a program's listeners are bound to `$(POD_IP)` here.
   */
  extraArgs?: readonly string[];
  /** Added to the container's environment. */
  env?: Readonly<Record<string, string>>;
}

export type ProgramTable = Record<string, ImageProgram>;

const file = (clusterDir: string): string => join(clusterDir, 'pod-programs.json');

export function readPrograms(clusterDir: string): ProgramTable {
  const f = file(clusterDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ProgramTable) : {};
}

/** Adds (or replaces) programs; the runner sees them for the next pod it starts. */
export function registerPrograms(clusterDir: string, programs: ProgramTable): void {
  const merged = { ...readPrograms(clusterDir), ...programs };
  const tmp = `${file(clusterDir)}.tmp`;
  writeFileSync(tmp, JSON.stringify(merged, null, 2));
  renameSync(tmp, file(clusterDir));
}

/** istiod's listeners, each on the pod's own address (pilot-discovery's defaults bind every interface). */
export function pilotProgram(binary: string): ImageProgram {
  const at = (port: number): string => `$(POD_IP):${String(port)}`;
  return {
    entrypoint: [binary],
    extraArgs: [
      `--httpAddr=${at(8080)}`,
      `--grpcAddr=${at(15010)}`,
      `--secureGRPCAddr=${at(15012)}`,
      `--httpsAddr=${at(15017)}`,
      `--monitoringAddr=${at(15014)}`,
      '--ctrlz_address=$(POD_IP)',
    ],
  };
}
