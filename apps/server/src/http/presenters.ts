import type { DocumentSummary } from '@samverkan/protocol';
import type { DocumentRecord } from '../store/ports.js';

/** The API shape of a catalogue entry. */
export function presentDocument(record: DocumentRecord): DocumentSummary {
  return {
    id: record.id,
    type: record.type,
    title: record.title,
    visibility: record.visibility,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
