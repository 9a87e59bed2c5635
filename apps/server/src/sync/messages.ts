import { MessageType, SyncMessageType } from '@samverkan/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Encoders of the messages the server sends (y-websocket protocol plus opt-in additions). */

/**
 * `varUint(type) [varUint(subtype)] varUint8Array(payload)` with the payload copied once (a
 * relayed update is encoded once per relay; lib0's encoder would copy a payload over 100 bytes
 * twice): the few prefix bytes through lib0's encoder, then one buffer for the whole message.
 */
function prefixed(type: number, subtype: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subtype !== null) encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint(encoder, payload.byteLength);
  const prefix = encoding.toUint8Array(encoder);
  const message = new Uint8Array(prefix.byteLength + payload.byteLength);
  message.set(prefix);
  message.set(payload, prefix.byteLength);
  return message;
}

/** Sync step 1 carrying a state vector. */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return prefixed(MessageType.sync, SyncMessageType.step1, stateVector);
}

/** Sync step 2 carrying an update (the difference to the peer's state vector). */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return prefixed(MessageType.sync, SyncMessageType.step2, update);
}

/** A sync update message (what the server relays). */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return prefixed(MessageType.sync, SyncMessageType.update, update);
}

/** An awareness message carrying `update` (a y-protocols awareness update). */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  return prefixed(MessageType.awareness, null, update);
}

/** `varUint(100) varUint(committedWrites)`. */
export function encodeAck(committedWrites: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.ack);
  encoding.writeVarUint(encoder, committedWrites);
  return encoding.toUint8Array(encoder);
}

/** `varUint(101) varUint(schemaVersion) varString(build) varUint(writable)`. */
export function encodeServerInfo(schemaVersion: number, build: string, writable: boolean): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.serverInfo);
  encoding.writeVarUint(encoder, schemaVersion);
  encoding.writeVarString(encoder, build);
  encoding.writeVarUint(encoder, writable ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

/** Decoded server announcement (used by clients and tests). */
export interface ServerInfo {
  schemaVersion: number;
  build: string;
  writable: boolean;
}

export function decodeServerInfo(decoder: decoding.Decoder): ServerInfo {
  const schemaVersion = decoding.readVarUint(decoder);
  const build = decoding.readVarString(decoder);
  const writable = decoding.readVarUint(decoder) === 1;
  return { schemaVersion, build, writable };
}
