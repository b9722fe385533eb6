// The one error loading or building artifacts throws: it names the directory and what is wrong with it.

export class ArtifactsError extends Error {
  constructor(dir: string, problem: string, cause?: unknown) {
    super(`Istio artifacts in ${dir}: ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'ArtifactsError';
  }
}
