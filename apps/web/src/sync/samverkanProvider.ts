import { MessageType, SyncMessageType } from '@samverkan/protocol';
import { SCHEMA_VERSION } from '@samverkan/model';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

/** Save state shown to the user. */
export type SaveState = 'saved' | 'saving' | 'offline' | 'outdated' | 'closed';

/**
 * A WebSocket that counts the write messages (sync step 2 and update) it sends, so that the
 * server's acknowledgements (type 100: "n of your writes are durable") can be compared.
 */
class CountingWebSocket extends WebSocket {
  sentWrites = 0;
  ackedWrites = 0;

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (data instanceof Uint8Array) {
      const decoder = decoding.createDecoder(data);
      if (decoding.readVarUint(decoder) === MessageType.sync) {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === SyncMessageType.step2 || syncType === SyncMessageType.update) this.sentWrites++;
      }
    }
    super.send(data);
  }
}

/**
 * The standard y-websocket provider with Samverkan's opt-in additions: acknowledgements for a
 * truthful "Saved", and the schema announcement that stops an outdated tab from writing.
 */
export function connectDocument(
  documentId: string,
  doc: Y.Doc,
  onState: (state: SaveState, closeCode?: number) => void,
): WebsocketProvider {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${window.location.host}/yjs`, documentId, doc, {
    params: { ack: '1', schema: String(SCHEMA_VERSION) },
    // Everything goes through the server, also between tabs of one browser: it checks each
    // write's access and writes each presence state's name (a BroadcastChannel would bypass both).
    disableBc: true,
    WebSocketPolyfill: CountingWebSocket,
  });
  let outdated = false;
  const report = (): void => {
    const ws = provider.ws as CountingWebSocket | null;
    if (outdated) onState('outdated');
    else if (!provider.wsconnected || !ws) onState('offline');
    // Saved only once the server's state arrived (by then this side's sync step 2, which
    // carries the edits made offline, is sent) and every write sent is acknowledged.
    else onState(provider.synced && ws.ackedWrites >= ws.sentWrites ? 'saved' : 'saving');
  };
  provider.messageHandlers[MessageType.ack] = (_encoder, decoder, current) => {
    const ws = current.ws as CountingWebSocket | null;
    if (ws) ws.ackedWrites = decoding.readVarUint(decoder);
    report();
  };
  provider.messageHandlers[MessageType.serverInfo] = (_encoder, decoder) => {
    const schemaVersion = decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
    const writable = decoding.readVarUint(decoder) === 1;
    if (!writable || schemaVersion > SCHEMA_VERSION) {
      outdated = true;
      provider.disconnect();
    }
    report();
  };
  provider.on('status', report);
  provider.on('sync', report);
  // y-websocket stops reconnecting on 44xx closes (no access, session ended) and reports them here.
  provider.on('closed', (event) => onState('closed', event.code));
  doc.on('update', () => queueMicrotask(report));
  return provider;
}
