import * as decoding from 'lib0/decoding';

/**
 * A bounded, allocation-light scan of a Yjs update (v1 encoding, the one the y-websocket
 * protocol carries) before it is stored or applied.
 *
 * Why: yjs trusts the struct counts an update declares (yjs/yjs#687). In the v1 encoding every
 * struct and deletion consumes input bytes, so decoding is linear in the frame size; this scan
 * still counts structs and deletions *while decoding* and stops at a cap, so no update, however
 * crafted, makes the server loop or allocate beyond those caps. It also records what the update
 * depends on, so an update whose dependencies are missing can be refused before it is stored
 * (yjs would otherwise keep it as pending structs, unboundedly).
 */

/** Caps of {@link scanUpdate}. */
export interface UpdateLimits {
  /** Most structs one update may carry (default 1,000,000). */
  maxStructs: number;
  /** Most deleted ranges one update may carry (default 1,000,000). */
  maxDeletions: number;
}

export const defaultUpdateLimits: UpdateLimits = { maxStructs: 1_000_000, maxDeletions: 1_000_000 };

/** An update the scan refuses, with a short reason (no content). */
export class UpdateRejected extends Error {
  constructor(readonly reason: 'malformed' | 'too_many_structs' | 'too_many_deletions' | 'missing_dependencies') {
    super(reason);
    this.name = 'UpdateRejected';
  }
}

/** One client's section of an update: structs from `start` to `end` (exclusive). */
interface ClientRange {
  start: number;
  end: number;
  /** Clock ranges the update skips (Skip structs): they must already be known. */
  skips: [number, number][];
}

/** What an update contains and depends on. */
export interface UpdateSummary {
  structs: number;
  deletions: number;
  ranges: Map<number, ClientRange>;
  /** Highest referenced clock + 1 per client (origins, right origins, parents). */
  references: Map<number, number>;
  /** Highest deleted clock + 1 per client. */
  deletes: Map<number, number>;
}

const BITS5 = 31;
const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const YXML_ELEMENT = 3;
const YXML_HOOK = 5;
const TYPE_REFS = 7;

function reference(summary: UpdateSummary, client: number, clock: number): void {
  const current = summary.references.get(client) ?? 0;
  if (clock + 1 > current) summary.references.set(client, clock + 1);
}

function readId(decoder: decoding.Decoder, summary: UpdateSummary): void {
  const client = decoding.readVarUint(decoder);
  const clock = decoding.readVarUint(decoder);
  reference(summary, client, clock);
}

/** Reads one item's content; returns its length in clock units. */
function readContentLength(decoder: decoding.Decoder, contentRef: number): number {
  switch (contentRef) {
    case 1: // ContentDeleted
      return decoding.readVarUint(decoder);
    case 2: {
      // ContentJSON: yjs parses every entry when it reads the update (a bad one would make the
      // stored update, and so the document, impossible to load), so each must be JSON.
      const length = decoding.readVarUint(decoder);
      for (let index = 0; index < length; index++) {
        const json = decoding.readVarString(decoder);
        if (json !== 'undefined') JSON.parse(json);
      }
      return length;
    }
    case 3: // ContentBinary
      decoding.readVarUint8Array(decoder);
      return 1;
    case 4: // ContentString (length in UTF-16 code units, as yjs counts)
      return decoding.readVarString(decoder).length;
    case 5: // ContentEmbed (JSON, parsed by yjs as for ContentJSON)
      JSON.parse(decoding.readVarString(decoder));
      return 1;
    case 6: // ContentFormat: a key and a JSON value
      decoding.readVarString(decoder);
      JSON.parse(decoding.readVarString(decoder));
      return 1;
    case 7: {
      // ContentType
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef >= TYPE_REFS) throw new UpdateRejected('malformed');
      if (typeRef === YXML_ELEMENT || typeRef === YXML_HOOK) decoding.readVarString(decoder);
      return 1;
    }
    case 8: {
      // ContentAny
      const length = decoding.readVarUint(decoder);
      for (let index = 0; index < length; index++) decoding.readAny(decoder);
      return length;
    }
    case 9: // ContentDoc: Samverkan's documents hold no subdocuments (yjs would also fail on
      // options that are not an object, for good)
      throw new UpdateRejected('malformed');
    default:
      throw new UpdateRejected('malformed');
  }
}

/**
 * Scans a v1 update. Throws {@link UpdateRejected} for a malformed update (including trailing
 * garbage) or one over the caps.
 */
export function scanUpdate(update: Uint8Array, limits: UpdateLimits = defaultUpdateLimits): UpdateSummary {
  const summary: UpdateSummary = { structs: 0, deletions: 0, ranges: new Map(), references: new Map(), deletes: new Map() };
  const decoder = decoding.createDecoder(update);
  try {
    const sections = decoding.readVarUint(decoder);
    for (let section = 0; section < sections; section++) {
      const structCount = decoding.readVarUint(decoder);
      const client = decoding.readVarUint(decoder);
      let clock = decoding.readVarUint(decoder);
      if (summary.ranges.has(client)) throw new UpdateRejected('malformed');
      const range: ClientRange = { start: clock, end: clock, skips: [] };
      for (let index = 0; index < structCount; index++) {
        if (++summary.structs > limits.maxStructs) throw new UpdateRejected('too_many_structs');
        if (!decoding.hasContent(decoder)) throw new UpdateRejected('malformed');
        const info = decoding.readUint8(decoder);
        const contentRef = info & BITS5;
        if (contentRef === 0) {
          clock += decoding.readVarUint(decoder); // GC
        } else if (contentRef === 10) {
          const length = decoding.readVarUint(decoder); // Skip
          range.skips.push([clock, clock + length]);
          clock += length;
        } else {
          const hasOrigin = (info & BIT8) === BIT8;
          const hasRightOrigin = (info & BIT7) === BIT7;
          if (hasOrigin) readId(decoder, summary);
          if (hasRightOrigin) readId(decoder, summary);
          if (!hasOrigin && !hasRightOrigin) {
            if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder); // root type name
            else readId(decoder, summary); // parent item
            if ((info & BIT6) === BIT6) decoding.readVarString(decoder); // parentSub
          }
          clock += readContentLength(decoder, contentRef);
        }
        if (!Number.isSafeInteger(clock)) throw new UpdateRejected('malformed');
      }
      range.end = clock;
      summary.ranges.set(client, range);
    }
    const deleteClients = decoding.readVarUint(decoder);
    for (let index = 0; index < deleteClients; index++) {
      const client = decoding.readVarUint(decoder);
      const deleteCount = decoding.readVarUint(decoder);
      for (let deletion = 0; deletion < deleteCount; deletion++) {
        if (++summary.deletions > limits.maxDeletions) throw new UpdateRejected('too_many_deletions');
        const clock = decoding.readVarUint(decoder);
        const length = decoding.readVarUint(decoder);
        const end = clock + length;
        if (!Number.isSafeInteger(end)) throw new UpdateRejected('malformed');
        if (end > (summary.deletes.get(client) ?? 0)) summary.deletes.set(client, end);
      }
    }
    if (decoding.hasContent(decoder)) throw new UpdateRejected('malformed');
  } catch (error) {
    if (error instanceof UpdateRejected) throw error;
    throw new UpdateRejected('malformed');
  }
  return summary;
}

/** True if the update changes nothing (no structs, no deletions). */
export function isEmptyUpdate(summary: UpdateSummary): boolean {
  return summary.structs === 0 && summary.deletions === 0;
}

/**
 * Counts the dependencies of an update that are neither in `known` (the clock per client the
 * document will have once every earlier write is applied) nor in the update itself: a gap
 * before a client's first struct, a skipped range, a referenced or deleted clock nobody has.
 */
export function countMissingDependencies(summary: UpdateSummary, known: ReadonlyMap<number, number>): number {
  let missing = 0;
  const after = new Map(known);
  for (const [client, range] of summary.ranges) {
    const have = known.get(client) ?? 0;
    if (range.start > have) missing++;
    for (const [from, to] of range.skips) if (to > have && from < range.end) missing++;
    if (range.end > have) after.set(client, range.end);
  }
  for (const [client, clock] of summary.references) if (clock > (after.get(client) ?? 0)) missing++;
  for (const [client, clock] of summary.deletes) if (clock > (after.get(client) ?? 0)) missing++;
  return missing;
}

/** Advances `known` by what the update adds. */
export function advanceKnownClocks(summary: UpdateSummary, known: Map<number, number>): void {
  for (const [client, range] of summary.ranges) {
    if (range.end > (known.get(client) ?? 0)) known.set(client, range.end);
  }
}
