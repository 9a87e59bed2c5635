import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SCHEMA_VERSION, getSchemaVersion, getTitle, initDocument, setTitle } from './DocumentMeta.js';

describe('DocumentMeta', () => {
  it('initialises schema version, kind and title', () => {
    const doc = new Y.Doc();
    expect(getSchemaVersion(doc)).toBe(0);
    initDocument(doc, { kind: 'plan', title: 'Klimatplan Luleå' });
    expect(getSchemaVersion(doc)).toBe(SCHEMA_VERSION);
    expect(getTitle(doc)).toBe('Klimatplan Luleå');
  });

  it('syncs a title change to another replica', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    initDocument(a, { kind: 'pilot', title: 'Elcyklar' });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setTitle(b, 'Elcyklar i Kiruna');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    expect(getTitle(a)).toBe('Elcyklar i Kiruna');
  });
});
