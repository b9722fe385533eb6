// Scenario output for people: each step of an end-to-end scenario is printed, numbered, with what it checks,
// before it runs, then how it ended. Reading `make test-e2e` tells the story of what was done to the cluster.
// Durations are printed for the reader and never compared with anything.

export interface Scenario {
  /** Prints the step and what it checks, runs it, then prints ok (or FAILED and the reason, and rethrows). */
  step<T>(what: string, body: () => Promise<T>): Promise<T>;
  /** A fact seen along the way, printed under the current step. */
  note(text: string): void;
}

const say = (text: string): void => {
  console.log(text);
};

export function scenario(title: string): Scenario {
  let n = 0;
  say(`\n=== ${title}`);
  return {
    async step(what, body) {
      n += 1;
      say(`--- step ${String(n)}: ${what}`);
      const start = performance.now();
      try {
        const result = await body();
        say(`    ok (${((performance.now() - start) / 1000).toFixed(1)} s)`);
        return result;
      } catch (err) {
        say(`    FAILED: ${(err as Error).message}`);
        throw err;
      }
    },
    note(text) {
      for (const line of text.split('\n')) say(`    | ${line}`);
    },
  };
}
