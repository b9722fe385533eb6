// Go's environment for building artifacts inside the test run's network namespace: the module cache hack/test.sh
// filled beforehand, no proxy, no toolchain download.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function offlineGoEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: process.env.GOMODCACHE ?? join(homedir(), '.cache', 'meshop', 'go-mod'),
    GOFLAGS: '-modcacherw',
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
  };
}
