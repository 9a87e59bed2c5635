import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateRejected, countMissingDependencies, scanUpdate } from './boundedUpdate.js';

function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, 'Åtgärd: värmepumpar 🌡️');
  doc.getText('text').format(0, 6, { bold: true });
  doc.getText('text').insertEmbed(3, { image: 'x' });
  doc.getMap('map').set('any', { nested: [1, 'två', null, true] });
  doc.getMap('map').set('binary', new Uint8Array([1, 2, 3]));
  doc.getMap('map').set('sub', new Y.Map());
  doc.getArray('array').insert(0, [1, 2, 3]);
  doc.getArray('array').delete(1, 1);
  const fragment = doc.getXmlFragment('rich');
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('Hej')]);
  fragment.insert(0, [paragraph, new Y.XmlHook('hook') as unknown as Y.XmlElement]);
  return doc;
}

describe('scanUpdate', () => {
  it('reads every kind of content and agrees with yjs on clock ranges and counts', () => {
    const doc = richDoc();
    const update = Y.encodeStateAsUpdate(doc);
    const summary = scanUpdate(update);
    const decoded = Y.decodeUpdate(update);
    expect(summary.structs).toBe(decoded.structs.length);
    const range = summary.ranges.get(doc.clientID);
    expect(range).toEqual({ start: 0, end: Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID), skips: [] });
    expect(summary.deletions).toBeGreaterThan(0);
  });

  it('rejects content yjs could not read back (which would make the stored document impossible to load), and subdocuments', () => {
    const textOf = (text: string) => [text.length, ...new TextEncoder().encode(text)];
    // One item of client 1 at clock 0 in the root type "t", with the given content, and no deletions.
    const item = (contentRef: number, content: number[]) => new Uint8Array([1, 1, 1, 0, contentRef, 1, ...textOf('t'), ...content, 0]);
    const notJson = [
      item(5, textOf('x')), // an embed
      item(6, [...textOf('bold'), ...textOf('x')]), // a format
      item(2, [2, ...textOf('1'), ...textOf('{')]), // JSON entries
    ];
    for (const update of notJson) {
      expect(() => Y.applyUpdate(new Y.Doc(), update)).toThrow();
      expect(() => scanUpdate(update)).toThrow(UpdateRejected);
    }
    expect(() => scanUpdate(item(9, [...textOf('guid'), 126]))).toThrow(UpdateRejected); // a subdocument (options: null)
    const withSubdocument = new Y.Doc();
    withSubdocument.getMap('map').set('subdoc', new Y.Doc());
    expect(() => scanUpdate(Y.encodeStateAsUpdate(withSubdocument))).toThrow(UpdateRejected);
    // The same shapes with JSON in them are read by both.
    for (const update of [item(5, textOf('{"image":"x"}')), item(6, [...textOf('bold'), ...textOf('true')]), item(2, [2, ...textOf('1'), ...textOf('undefined')])]) {
      expect(() => Y.applyUpdate(new Y.Doc(), update)).not.toThrow();
      expect(scanUpdate(update).structs).toBe(1);
    }
  });

  it('rejects an update claiming 2^31 structs at once, and one over the caps', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 2 ** 31);
    encoding.writeVarUint(encoder, 42);
    encoding.writeVarUint(encoder, 0);
    for (let index = 0; index < 20; index++) {
      encoding.writeUint8(encoder, 0);
      encoding.writeVarUint(encoder, 1);
    }
    const started = Date.now();
    expect(() => scanUpdate(encoding.toUint8Array(encoder))).toThrow(UpdateRejected);
    expect(Date.now() - started).toBeLessThan(1000);

    const doc = new Y.Doc();
    for (let index = 0; index < 50; index++) doc.getMap('m').set(`key${index}`, index);
    const update = Y.encodeStateAsUpdate(doc);
    expect(() => scanUpdate(update, { maxStructs: 10, maxDeletions: 100 })).toThrow('too_many_structs');
    const deletions = new Y.Doc();
    deletions.getText('t').insert(0, 'abcdefghij');
    for (let index = 0; index < 5; index++) deletions.getText('t').delete(index, 1);
    expect(() => scanUpdate(Y.encodeStateAsUpdate(deletions), { maxStructs: 100, maxDeletions: 2 })).toThrow('too_many_deletions');
  });

  it('rejects truncated updates, trailing bytes and varint overflow', () => {
    const update = Y.encodeStateAsUpdate(richDoc());
    for (let cut = 1; cut < update.length; cut += Math.max(1, Math.floor(update.length / 40))) {
      expect(() => scanUpdate(update.slice(0, cut))).toThrow(UpdateRejected);
    }
    expect(() => scanUpdate(new Uint8Array([...update, 0]))).toThrow(UpdateRejected);
    expect(() => scanUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(UpdateRejected);
    expect(() => scanUpdate(new Uint8Array([]))).toThrow(UpdateRejected);
  });

  it('finds missing dependencies: a gap, an unknown origin, an unknown deletion', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('t').insert(0, 'abc');
    doc.getText('t').insert(3, 'def');
    doc.getText('t').delete(0, 1);
    const known = new Map<number, number>();
    expect(countMissingDependencies(scanUpdate(updates[0] as Uint8Array), known)).toBe(0);
    // The second insert depends on the first (gap in the client's clock and its origin).
    expect(countMissingDependencies(scanUpdate(updates[1] as Uint8Array), known)).toBeGreaterThan(0);
    known.set(doc.clientID, 3);
    expect(countMissingDependencies(scanUpdate(updates[1] as Uint8Array), known)).toBe(0);
    // A deletion of content the server does not have.
    expect(countMissingDependencies(scanUpdate(updates[2] as Uint8Array), new Map())).toBeGreaterThan(0);
    expect(countMissingDependencies(scanUpdate(updates[2] as Uint8Array), new Map([[doc.clientID, 6]]))).toBe(0);
  });
});
