// Reads an input file named on the command line, where "-" is standard input. Standard input may be a
// non-blocking pipe whose writer has not written yet (`meshop convert -f x | meshop manifest generate -f -`),
// where a plain synchronous read fails with EAGAIN; it may also be a socket (Node's own child processes), which
// cannot be reopened through /dev/stdin. So fd 0 is read in a loop that waits briefly whenever no data is there
// yet, until end of file.
import { readFileSync, readSync } from 'node:fs';

export const stdinName = '-';

const chunkSize = 64 * 1024;
const retryMs = 10;

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readStdin(): string {
  const chunks: Buffer[] = [];
  for (;;) {
    const buffer = Buffer.alloc(chunkSize);
    let n: number;
    try {
      n = readSync(0, buffer, 0, chunkSize, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      pause(retryMs);
      continue;
    }
    if (n === 0) return Buffer.concat(chunks).toString('utf8');
    chunks.push(buffer.subarray(0, n));
  }
}

export function readInputFile(file: string): string {
  return file === stdinName ? readStdin() : readFileSync(file, 'utf8');
}
