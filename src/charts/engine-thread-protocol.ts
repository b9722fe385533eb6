// What the engine thread (engine-worker.ts) is started with and answers, shared by both sides.
import type { MessagePort } from 'node:worker_threads';

export interface EngineThreadData {
  wasmPath: string;
  /** Requests (encoded RenderRequests) come in here, replies go out. */
  port: MessagePort;
  /** Set to 1 (and notified) after each reply is posted; the requester resets it to 0 before asking. */
  signal: Int32Array;
}

export type EngineReply =
  | { kind: 'ready' }
  | { kind: 'load-failed'; message: string; code: string | undefined }
  | { kind: 'rendered'; output: Uint8Array }
  /** The Go runtime trapped or exited: the thread is unusable and is let go. */
  | { kind: 'failed'; message: string };
