// Names that are not built in. Each error lists the known names, so the message alone tells the user the fix.

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

export class UnknownPlatformError extends Error {
  override readonly name = 'UnknownPlatformError';
  readonly platform: string;
  readonly known: readonly string[];

  constructor(platform: string, known: readonly string[]) {
    super(`unknown platform "${platform}" in values.global.platform (known: ${known.join(', ')})`);
    this.platform = platform;
    this.known = known;
  }
}
