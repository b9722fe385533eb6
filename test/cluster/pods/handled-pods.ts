// Which pods the pod runner runs instead of KWOK, and the KWOK stage that leaves them alone.
//
// KWOK marks every pod Running and Ready the moment it is scheduled. For the pods the runner owns (istiod of every
// revision, the meshop operator) Ready must mean what it means on a kubelet: the process answers its readiness
// probe. So KWOK's pod-ready stage gets one `NotIn` clause per label below (a missing label matches `NotIn`), and
// the runner selects exactly those pods.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** label key → values whose pods the runner runs. */
export const handledLabels: Readonly<Record<string, readonly string[]>> = {
  app: ['istiod'],
  'app.kubernetes.io/name': ['meshop-operator'],
};

/** One label selector per handled label (label selectors cannot say "or"). */
export const handledSelectors: readonly string[] = Object.entries(handledLabels).map(
  ([key, values]) => `${key} in (${values.join(',')})`,
);

interface Stage {
  spec: { selector: { matchExpressions: { key: string; operator: string; values?: string[] }[] } };
}

/** Writes KWOK's pod-ready stage, minus the handled pods, into `dir`; returns its path. */
export function writePodReadyStage(stagesDir: string, dir: string): string {
  const stage = parse(readFileSync(join(stagesDir, 'pod-ready.yaml'), 'utf8')) as Stage;
  for (const [key, values] of Object.entries(handledLabels)) {
    stage.spec.selector.matchExpressions.push({
      key: `.metadata.labels.${JSON.stringify(key)}`,
      operator: 'NotIn',
      values: [...values],
    });
  }
  const file = join(dir, 'pod-ready-unless-run.yaml');
  writeFileSync(file, stringify(stage));
  return file;
}
