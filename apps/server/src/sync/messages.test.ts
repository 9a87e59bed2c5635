import { MessageType, SyncMessageType } from '@samverkan/protocol';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './messages.js';

/** The same message through lib0's encoder, as y-protocols writes it. */
function byLib0(type: number, subtype: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subtype !== null) encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

describe('message encoders', () => {
  // Lengths at every boundary of the varint that carries the payload's length.
  const lengths = [0, 1, 127, 128, 129, 16_383, 16_384, 70_000, 2_097_152];
  it.each(lengths)('write a %i-byte payload exactly as lib0 does', (length) => {
    const payload = Uint8Array.from({ length }, (_, index) => (index * 31 + 7) & 0xff);
    // Compared as hex of the head (a readable failure) and byte for byte as a whole.
    const same = (ours: Uint8Array, theirs: Uint8Array): void => {
      expect(Buffer.from(ours.subarray(0, 8)).toString('hex')).toBe(Buffer.from(theirs.subarray(0, 8)).toString('hex'));
      expect(Buffer.from(ours).equals(theirs)).toBe(true);
    };
    same(encodeSyncUpdate(payload), byLib0(MessageType.sync, SyncMessageType.update, payload));
    same(encodeSyncStep1(payload), byLib0(MessageType.sync, SyncMessageType.step1, payload));
    same(encodeSyncStep2(payload), byLib0(MessageType.sync, SyncMessageType.step2, payload));
    same(encodeAwareness(payload), byLib0(MessageType.awareness, null, payload));
  });
});
