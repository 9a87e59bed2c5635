/** Reasons a frame or message is refused (label of the rejected-frames metric). */
export type RejectReason =
  | 'malformed'
  | 'too_many_structs'
  | 'too_many_deletions'
  | 'missing_dependencies'
  | 'unknown_message_type'
  | 'undecodable'
  | 'text_frame'
  | 'frame_too_large'
  | 'protocol_error'
  | 'awareness_too_large'
  | 'rate_limited'
  | 'send_buffer_full'
  | 'handshake_buffer_full'
  | 'too_many_connections';

/**
 * What the sync core reports as it works; the metrics module implements it. Calls are cheap
 * and synchronous; implementations must not throw.
 */
export interface SyncObserver {
  /** A client write was accepted into a document's queue. */
  updateReceived(): void;
  /** A committed update was relayed to `connections` other connections. */
  updateRelayed(connections: number): void;
  /** A write became durable after `seconds`. */
  committed(seconds: number): void;
  /** Something a client sent was refused. */
  rejected(reason: RejectReason): void;
}

/** An observer that ignores everything (the default). */
export const silentObserver: SyncObserver = {
  updateReceived: () => undefined,
  updateRelayed: () => undefined,
  committed: () => undefined,
  rejected: () => undefined,
};
