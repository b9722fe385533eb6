// Unique, DNS-1123-safe names so tests sharing one cluster never collide.
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
