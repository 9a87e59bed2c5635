/**
 * The minimal socket the sync core needs. The `ws` glue adapts a WebSocket to it; tests can
 * drive the core with an in-memory implementation and no network.
 */
export interface SyncSocket {
  /** Sends one binary message. Must not throw for a closed socket. */
  send(message: Uint8Array): void;
  /** Closes the socket with a close code from `CloseCode` and a short reason (no content). */
  close(code: number, reason: string): void;
  /**
   * Drops the connection at once, without a closing handshake (for a client that stopped
   * reading: a close frame would only queue behind what it does not read).
   */
  terminate(): void;
  /** Bytes queued for sending but not yet written to the network. */
  readonly bufferedAmount: number;
  /**
   * `bufferedAmount` plus what was sent in the current turn of the event loop and is still held
   * to be written at its end (the same as `bufferedAmount` for a socket that holds nothing).
   */
  readonly owedBytes: number;
}
