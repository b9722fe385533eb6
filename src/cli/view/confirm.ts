// A yes/no question on the terminal. Only asked when both stdin and stdout are a terminal: a script or CI run
// never waits for an answer nobody will give.
import { createInterface } from 'node:readline/promises';

export type Confirm = (question: string) => Promise<boolean>;

/** The question on stdout, the answer from stdin; anything but y/yes is no. */
export const askOnTerminal: Confirm = async (question) => {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
};

/** A terminal on both ends: someone can read the question and answer it. */
export const canAsk = (): boolean => process.stdin.isTTY && process.stdout.isTTY;
