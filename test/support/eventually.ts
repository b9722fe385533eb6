// Polling instead of sleeping: retry a check every 100 ms until it holds or the deadline passes, then fail
// with the last error the check threw.
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${what} did not happen within ${String(timeoutMs / 1000)}s${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
