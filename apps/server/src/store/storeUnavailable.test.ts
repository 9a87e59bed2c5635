import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from './ports.js';
import { WriterError } from './sqlite/SqliteWriter.js';

describe('isStoreUnavailable', () => {
  it('knows the SQLite writer’s and the MongoDB driver’s errors of a store that cannot answer for now, and no others', () => {
    const { mongo } = mongoose;
    // SQLite (the codes the writer worker passes on).
    expect(isStoreUnavailable(new WriterError('database is locked', 'SQLITE_BUSY'))).toBe(true);
    expect(isStoreUnavailable(new WriterError('disk I/O error', 'SQLITE_IOERR_WRITE'))).toBe(true);
    expect(isStoreUnavailable(new WriterError('database or disk is full', 'SQLITE_FULL'))).toBe(true);
    expect(isStoreUnavailable(new WriterError('writer worker exited with code 1', 'SAMVERKAN_WRITER_UNAVAILABLE'))).toBe(true);
    expect(isStoreUnavailable(new WriterError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
    expect(isStoreUnavailable(new WriterError('expectation failed', 'SAMVERKAN_EXPECTATION'))).toBe(false);
    expect(isStoreUnavailable(new WriterError('no code'))).toBe(false);
    // MongoDB: the driver's own classes, as mongoose exposes them.
    expect(isStoreUnavailable(new mongo.MongoNetworkError('connection reset'))).toBe(true);
    expect(isStoreUnavailable(new mongo.MongoNetworkTimeoutError('timed out'))).toBe(true);
    expect(isStoreUnavailable(new mongo.MongoNotConnectedError('not connected'))).toBe(true);
    expect(isStoreUnavailable(new mongoose.Error.MongooseServerSelectionError('no primary'))).toBe(true);
    expect(isStoreUnavailable(new mongo.MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(false);
    expect(isStoreUnavailable(new Error('anything else'))).toBe(false);
    expect(isStoreUnavailable('SQLITE_BUSY')).toBe(false);
  });
});
