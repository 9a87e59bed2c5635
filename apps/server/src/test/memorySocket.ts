import type { SyncSocket } from '../sync/SyncSocket.js';

/** An in-memory {@link SyncSocket}: the sync core without a network. */
export class MemorySocket implements SyncSocket {
  readonly sent: Uint8Array[] = [];
  closedWith: { code: number; reason: string } | null = null;
  bufferedAmount = 0;

  get owedBytes(): number {
    return this.bufferedAmount;
  }
  onSend: ((message: Uint8Array) => void) | null = null;

  send(message: Uint8Array): void {
    if (this.closedWith) return;
    this.sent.push(message);
    this.onSend?.(message);
  }

  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }

  terminate(): void {
    this.closedWith ??= { code: 1006, reason: 'terminated' };
  }
}
