import type { DocumentSummary } from './api.js';

/**
 * socket.io events from the server to a client. Typed here so server, web app and tests agree.
 */
export interface ServerToClientEvents {
  /** Sent once after connecting. */
  hello: (info: { build: string; schemaVersion: number }) => void;
  /** A document in the catalogue was created or changed (title). */
  'document:changed': (document: DocumentSummary) => void;
}

/** socket.io events from a client to the server. */
export interface ClientToServerEvents {
  ping: (callback: (answer: { time: number }) => void) => void;
}
