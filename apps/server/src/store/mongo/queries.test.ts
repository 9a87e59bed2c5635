import { Mongoose, type Query } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { compactionCompareAndSet, configureMongoose, coveredUpdates, reserveSeqs, updatesAfter, userByEmail } from './queries.js';
import { defineModels } from './schemas.js';

/**
 * No server here: models on an unopened connection. `_castConditions` is what mongoose runs
 * on a filter right before it hands the query to the driver (sanitize, then cast), so the
 * filter it leaves is the exact one that would be sent.
 */
function models() {
  const mongoose = new Mongoose();
  configureMongoose(mongoose);
  return defineModels(mongoose.createConnection());
}

function prepared(query: Query<unknown, unknown>): { filter: unknown; error: Error | null } {
  const internal = query as unknown as { _castConditions(): void; error(): Error | null };
  internal._castConditions();
  // JSON round trip: drops mongoose's `trusted` marker symbol, keeps exactly what is sent.
  return { filter: JSON.parse(JSON.stringify(query.getFilter())) as unknown, error: internal.error() ?? null };
}

describe('queries the MongoDB adapter sends', () => {
  it('compaction is a compare-and-set on the head version and the covered seq', () => {
    const { heads } = models();
    const { filter, update } = compactionCompareAndSet('doc1', 4, 1200);
    const query = heads.updateOne(filter, update);
    expect(prepared(query)).toEqual({ filter: { _id: 'doc1', version: 4, snapshotSeq: { $lt: 1200 } }, error: null });
    expect(query.getUpdate()).toEqual({ $set: { snapshotSeq: 1200 }, $inc: { version: 1 } });
  });

  it('keeps its own range operators and reserves seqs with an upsert', () => {
    const { updates, heads } = models();
    expect(prepared(updates.find(updatesAfter('doc1', 10))).filter).toEqual({ documentId: 'doc1', seq: { $gt: 10 } });
    expect(prepared(updates.deleteMany(coveredUpdates('doc1', 10))).filter).toEqual({ documentId: 'doc1', seq: { $lte: 10 } });
    const { filter, update } = reserveSeqs('doc1', 3);
    const query = heads.findOneAndUpdate(filter, update, { upsert: true, new: true });
    expect(prepared(query).filter).toEqual({ _id: 'doc1' });
    expect(query.getUpdate()).toEqual({ $inc: { nextSeq: 3 }, $setOnInsert: { snapshotSeq: 0, version: 0 } });
  });

  it('turns a hostile {"$ne": null} from a request into a literal that matches nothing', () => {
    const { documents } = models();
    const hostile = JSON.parse('{"$ne": null}') as unknown as string;
    const result = prepared(documents.findOne({ _id: hostile }));
    expect(result.filter).toEqual({ _id: { $eq: { $ne: null } } });
    expect(result.error?.name).toBe('CastError'); // the query fails instead of matching every document
  });

  it('the login lookup compares a hostile {"$ne": null} e-mail as a literal', () => {
    const { users } = models();
    const hostile = JSON.parse('{"$ne": null}') as unknown as string;
    const result = prepared(users.findOne(userByEmail(hostile)));
    expect(result.filter).toEqual({ email: { $eq: { $ne: null } } });
    expect(result.error?.name).toBe('CastError');
    expect(prepared(users.findOne(userByEmail('anna@lulea.se')))).toEqual({ filter: { email: 'anna@lulea.se' }, error: null });
  });

  it('refuses filters on fields that do not exist (strictQuery: throw)', () => {
    const { documents } = models();
    expect(prepared(documents.findOne({ owner: 'x' })).error?.name).toBe('StrictModeError');
  });
});
