// The files meshop ships (dist/js, written by hack/bundle.ts): integration and end-to-end tests run these, as a
// user's machine and the operator image do, not the sources. hack/test.sh bundles before every run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function shipped(name: string): string {
  const file = fileURLToPath(new URL(`../../dist/js/${name}`, import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (hack/test.sh does)`);
  return file;
}

/** `meshop`, the CLI. */
export const shippedCli = (): string => shipped('meshop.js');
/** The operator's entry point, the image's ENTRYPOINT. */
export const shippedOperator = (): string => shipped('main.js');
