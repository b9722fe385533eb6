// Probing a component's health endpoint.
import http from 'node:http';
import https from 'node:https';

export interface ProbeOptions {
  ca?: Buffer;
  /** The component's own serving certificate is self-signed (controller-manager, scheduler). */
  insecure?: boolean;
}

/** GET a URL and return the status code and body; 0 when nothing answered. */
export function probe(url: string, opts: ProbeOptions = {}): Promise<{ code: number; body: string }> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = lib.get(url, { ca: opts.ca, rejectUnauthorized: !opts.insecure, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ code: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      resolve({ code: 0, body: '' });
    });
  });
}
