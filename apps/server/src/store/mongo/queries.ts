// mongoose is CommonJS: Node's ESM loader only sees its default export.
import mongoose, { type Mongoose } from 'mongoose';

const { trusted } = mongoose;

/**
 * The filters and updates the MongoDB adapter sends, built in one place so their exact shape
 * is unit-tested without a server. `sanitizeFilter` is on for the adapter's Mongoose instance:
 * any `$`-operator that did not come from here (marked `trusted`) is wrapped in `$eq`, so a
 * value like `{"$ne": null}` from a request is compared as a literal.
 */

/** Reserve `count` seqs for a document (upsert the head). */
export function reserveSeqs(documentId: string, count: number) {
  return {
    filter: { _id: documentId },
    update: { $inc: { nextSeq: count }, $setOnInsert: { snapshotSeq: 0, version: 0 } },
  };
}

/**
 * Compaction's compare-and-set: succeeds only if the head still has the version read before
 * and its snapshot covers less than `upToSeq`. Of two concurrent compactors exactly one
 * matches; the other changes nothing.
 */
export function compactionCompareAndSet(documentId: string, expectedVersion: number, upToSeq: number) {
  return {
    filter: { _id: documentId, version: expectedVersion, snapshotSeq: trusted({ $lt: upToSeq }) },
    update: { $set: { snapshotSeq: upToSeq }, $inc: { version: 1 } },
  };
}

/** Updates covered by a snapshot. */
export function coveredUpdates(documentId: string, upToSeq: number) {
  return { documentId, seq: trusted({ $lte: upToSeq }) };
}

/** Updates after a snapshot. */
export function updatesAfter(documentId: string, afterSeq: number) {
  return { documentId, seq: trusted({ $gt: afterSeq }) };
}

/** Catalogue entries not in the trash. */
export function listedDocuments() {
  return { deletedAt: null };
}

/** The login lookup: the e-mail is compared as a literal, whatever the request sent. */
export function userByEmail(email: string) {
  return { email };
}

/** An invitation that is still open at `now` (compare-and-set when accepting). */
export function openInvitation(tokenHash: string, now: Date) {
  return { _id: tokenHash, usedAt: null, expiresAt: trusted({ $gt: now }) };
}

/** A reset link that is still open at `now`. */
export function openPasswordReset(tokenHash: string, now: Date) {
  return { _id: tokenHash, usedAt: null, expiresAt: trusted({ $gt: now }) };
}

/** Shares to any of a caller's principals. */
export function sharesForPrincipals(principals: { userId: string; organisationId: string; groupIds: string[] }) {
  return {
    $or: [
      { principalType: 'user', principalId: principals.userId },
      { principalType: 'organisation', principalId: principals.organisationId },
      { principalType: 'group', principalId: trusted({ $in: principals.groupIds }) },
    ],
  };
}

/** A text search restricted to the documents the caller may read (every word must match). */
export function textSearch(words: string[], documentIds: string[]) {
  return {
    $text: trusted({ $search: words.map((word) => `"${word.replace(/"/g, '')}"`).join(' ') }),
    documentId: trusted({ $in: documentIds }),
  };
}

/** `_id` among these documents. */
export function documentsIn(documentIds: string[]) {
  return trusted({ $in: documentIds });
}

/** Applies the options every adapter query relies on to a Mongoose instance. */
export function configureMongoose(instance: Mongoose): void {
  instance.set('sanitizeFilter', true);
  instance.set('strictQuery', 'throw');
}
