// mongoose is CommonJS: take runtime values from its default export.
import mongoose, { type Connection } from 'mongoose';

const { Schema } = mongoose;

/**
 * Collections of the MongoDB store. Indexes are declared here and built at start-up
 * (`syncIndexes`). Document ids are strings chosen by the server.
 */

export interface DocumentDoc {
  _id: string;
  type: string;
  title: string;
  visibility: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** Per-document counters: next update seq, the seq the snapshot covers, and a version for compare-and-set. */
export interface DocumentHeadDoc {
  _id: string;
  nextSeq: number;
  snapshotSeq: number;
  version: number;
}

export interface BlobPartDoc {
  documentId: string;
  seq: number;
  part: number;
  parts: number;
  data: Buffer;
}

const documentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true, enum: ['plan', 'pilot', 'board'] },
    title: { type: String, required: true, maxlength: 200 },
    visibility: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    deletedAt: { type: Date, default: null },
  },
  { versionKey: false, strict: 'throw' },
);
documentSchema.index({ deletedAt: 1, updatedAt: -1 });

const headSchema = new Schema<DocumentHeadDoc>(
  {
    _id: { type: String, required: true },
    // No defaults: the first append's upsert creates them ($inc and $setOnInsert, see queries.ts).
    nextSeq: { type: Number, required: true },
    snapshotSeq: { type: Number, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false, strict: 'throw' },
);

function blobSchema(): mongoose.Schema<BlobPartDoc> {
  const schema = new Schema<BlobPartDoc>(
    {
      documentId: { type: String, required: true },
      seq: { type: Number, required: true, min: 0 },
      part: { type: Number, required: true, min: 0 },
      parts: { type: Number, required: true, min: 1 },
      data: { type: Buffer, required: true },
    },
    { versionKey: false, strict: 'throw' },
  );
  schema.index({ documentId: 1, seq: 1, part: 1 }, { unique: true });
  return schema;
}

/** The models of one connection. */
export function defineModels(connection: Connection) {
  return {
    documents: connection.model<DocumentDoc>('Document', documentSchema, 'documents'),
    heads: connection.model<DocumentHeadDoc>('DocumentHead', headSchema, 'document_heads'),
    updates: connection.model<BlobPartDoc>('DocumentUpdate', blobSchema(), 'document_updates'),
    snapshots: connection.model<BlobPartDoc>('DocumentSnapshot', blobSchema(), 'document_snapshots'),
  };
}

export type MongoModels = ReturnType<typeof defineModels>;
