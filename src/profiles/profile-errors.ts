// A profile the release does not have. The error lists the release's profiles, so the message alone tells the user
// the fix.

export class UnknownProfileError extends Error {
  override readonly name = 'UnknownProfileError';
  readonly profile: string;
  readonly known: readonly string[];

  constructor(profile: string, known: readonly string[]) {
    super(`unknown profile "${profile}" (known: ${known.join(', ')})`);
    this.profile = profile;
    this.known = known;
  }
}
