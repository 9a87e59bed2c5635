import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ActionPlan } from './ActionPlan.js';
import { META_MAP, SCHEMA_VERSION, getSchemaVersion } from './DocumentMeta.js';
import { type Migration, migrateDocument, migrations } from './migrations.js';

const fixtures = new URL('../fixtures/', import.meta.url);

function load(file: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(readFileSync(new URL(file, fixtures))));
  return doc;
}

/**
 * A change of shape after the released versions (a version 3 that is not released), kept in
 * the test suite to prove the machinery on a migration that rewrites the document (the released
 * version 2 rewrites nothing, see `migrations`): a measure's `implementationCost` (a number in
 * SEK) becomes a `cost` map with amount and currency. Deterministic: derived only from the
 * document.
 */
const TEST_VERSION = 3;
const testMigrations: Record<number, Migration> = {
  ...migrations,
  [TEST_VERSION]: (doc) => {
    const measures = doc.getMap<Y.Map<unknown>>('measures');
    for (const id of [...measures.keys()].sort()) {
      const measure = measures.get(id)!;
      const amount = measure.get('implementationCost');
      if (typeof amount !== 'number') continue;
      const cost = new Y.Map<unknown>();
      cost.set('amount', amount);
      cost.set('currency', 'SEK');
      measure.set('cost', cost);
      measure.delete('implementationCost');
    }
  },
};

describe('schema versions and migrations', () => {
  const committed = readdirSync(fixtures).filter((file) => file.endsWith('.bin'));

  it('has a committed fixture of every kind for every released schema version', () => {
    for (let version = 1; version <= SCHEMA_VERSION; version++) {
      expect(committed).toContain(`plan-v${version}.bin`);
      expect(committed).toContain(`pilot-v${version}.bin`);
    }
  });

  it('upgrades every committed fixture to the current version', () => {
    for (const file of committed) {
      const doc = load(file);
      const before = Number(/-v(\d+)\.bin$/.exec(file)![1]);
      expect(getSchemaVersion(doc)).toBe(before);
      expect(migrateDocument(doc)).toEqual({ from: before, to: SCHEMA_VERSION });
      expect(getSchemaVersion(doc)).toBe(SCHEMA_VERSION);
    }
  });

  it('runs a migration that rewrites the document, after the released ones, on the v1 fixture', () => {
    const doc = load('plan-v1.bin');
    const before = new ActionPlan(doc).measures[0]!;
    expect(before.fields.implementationCost).toBe(12_500_000);
    expect(migrateDocument(doc, { migrations: testMigrations, target: TEST_VERSION })).toEqual({ from: 1, to: TEST_VERSION });
    const measure = doc.getMap<Y.Map<unknown>>('measures').get(before.id)!;
    expect(measure.has('implementationCost')).toBe(false);
    expect((measure.get('cost') as Y.Map<unknown>).toJSON()).toEqual({ amount: 12_500_000, currency: 'SEK' });
    expect(doc.getMap(META_MAP).get('schemaVersion')).toBe(TEST_VERSION);
    // Migrating again changes nothing.
    const state = Y.encodeStateVector(doc);
    expect(migrateDocument(doc, { migrations: testMigrations, target: TEST_VERSION })).toEqual({ from: TEST_VERSION, to: TEST_VERSION });
    expect(Y.encodeStateVector(doc)).toEqual(state);
    expect(() => migrateDocument(load('plan-v1.bin'), { target: TEST_VERSION })).toThrow(`no migration to schema version ${TEST_VERSION}`);
  });

  it('two servers migrating the same document concurrently give the same result as one', () => {
    const alone = load('plan-v1.bin');
    migrateDocument(alone, { migrations: testMigrations, target: TEST_VERSION });
    const serverA = load('plan-v1.bin');
    const serverB = load('plan-v1.bin');
    migrateDocument(serverA, { migrations: testMigrations, target: TEST_VERSION });
    migrateDocument(serverB, { migrations: testMigrations, target: TEST_VERSION });
    const fromA = Y.encodeStateAsUpdate(serverA, Y.encodeStateVector(serverB));
    const fromB = Y.encodeStateAsUpdate(serverB, Y.encodeStateVector(serverA));
    Y.applyUpdate(serverA, fromB);
    Y.applyUpdate(serverB, fromA);
    const json = (doc: Y.Doc) => JSON.stringify({ meta: doc.getMap(META_MAP).toJSON(), measures: doc.getMap('measures').toJSON(), targets: doc.getMap('targets').toJSON() });
    expect(json(serverA)).toBe(json(alone));
    expect(json(serverB)).toBe(json(alone));
  });
});
