// "host:port" as kubebuilder's flags spell it (":8081" means every interface), "0" for off.
export function parseBindAddress(value: string): { host?: string; port: number } | undefined {
  if (value === '0' || value === '') return undefined;
  const at = value.lastIndexOf(':');
  const port = Number(value.slice(at + 1));
  if (at < 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`bind address "${value}": expected host:port, :port or 0`);
  }
  const host = value.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return host ? { host, port } : { port };
}
