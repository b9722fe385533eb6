// The one way conversion fails: the input is not something meshop can turn into a MeshConfig. The message alone
// names the file or field and the problem, so the CLI can print it as its one error line.

export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}
