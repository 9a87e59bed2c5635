import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextDiff } from './textDiff.js';

describe('applyTextDiff', () => {
  it('turns a textarea change into minimal edits that merge with a concurrent remote edit', () => {
    const local = new Y.Doc();
    const remote = new Y.Doc();
    local.getText('notes').insert(0, 'Minska utsläppen från transporter');
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(local));
    const text = local.getText('notes');
    applyTextDiff(text, text.toString(), 'Minska utsläppen kraftigt från transporter');
    remote.getText('notes').insert(0, 'Mål: ');
    Y.applyUpdate(local, Y.encodeStateAsUpdate(remote));
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(local));
    expect(local.getText('notes').toString()).toBe('Mål: Minska utsläppen kraftigt från transporter');
    expect(remote.getText('notes').toString()).toBe(local.getText('notes').toString());
  });

  it('handles deletions, replacements and no-ops', () => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    applyTextDiff(text, '', 'abcdef');
    applyTextDiff(text, 'abcdef', 'abXef');
    expect(text.toString()).toBe('abXef');
    applyTextDiff(text, 'abXef', 'abXef');
    applyTextDiff(text, 'abXef', '');
    expect(text.toString()).toBe('');
  });
});
