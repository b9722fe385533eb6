// The user's home directory, for the default paths (~/.kube/config, ~/.cache/meshop). os.homedir() throws when
// HOME is unset and the uid has no passwd entry, which is the operator image's case (uid 65532 on a root
// filesystem without /etc/passwd, ADR 0022); '/' is what container runtimes give such a user as HOME.
import { homedir } from 'node:os';

export function homeDirectory(): string {
  try {
    return homedir();
  } catch {
    return '/';
  }
}
