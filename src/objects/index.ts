// src/objects: the ground floor. The shape of Kubernetes objects as plain JSON and the well-known names on them;
// every layer may import it, and it imports nothing of the project.
export * from './types.ts';
export * from './well-known.ts';
