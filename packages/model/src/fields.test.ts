import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ActionPlan } from './ActionPlan.js';
import { applyTextDiff, readString, writeText } from './fields.js';
import { PilotLog } from './PilotLog.js';
import { applyTemplate } from './templates.js';

/** Exchanges what each replica has that the other has not (both ways). */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, fromA);
  Y.applyUpdate(a, fromB);
}

/** Two replicas of one document: `setup` runs on the first, the second gets it by sync. */
function replicas(setup: (doc: Y.Doc) => void): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  setup(a);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

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

  it('never splits an emoji: a change next to one replaces it whole', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    applyTextDiff(text, '', 'a😀b');
    // 😀 and 😃 share their high surrogate: a code-unit diff would keep it and swap the low one.
    const changes: unknown[] = [];
    text.observe((event) => changes.push(...event.delta));
    applyTextDiff(text, 'a😀b', 'a😃b');
    expect(text.toString()).toBe('a😃b');
    expect(changes).toEqual([{ retain: 1 }, { delete: 2 }, { insert: '😃' }]);
  });
});

describe('free-text fields', () => {
  it('two coordinators typing in the same measure title at once both keep what they typed', () => {
    const [lina, lars] = replicas((doc) => new ActionPlan(doc).addMeasure({ title: 'Laddplatser' }, 'end', 'm1'));
    const title = (doc: Y.Doc) => new ActionPlan(doc).measure('m1')!.fields.title;
    // Each types into the title as the web form does: the whole new value of the field.
    new ActionPlan(lina).measure('m1')!.update({ title: 'Fler laddplatser' });
    new ActionPlan(lars).measure('m1')!.update({ title: 'Laddplatser i Boden' });
    exchange(lina, lars);
    expect(title(lina)).toBe('Fler laddplatser i Boden');
    expect(title(lars)).toBe(title(lina));
  });

  it('two people starting to type in the same empty field of a new measure, target or pilot both keep it', () => {
    const cases: { setup: (doc: Y.Doc) => void; write: (doc: Y.Doc, text: string) => void; read: (doc: Y.Doc) => string }[] = [
      {
        setup: (doc) => new ActionPlan(doc).addMeasure({}, 'end', 'm1'),
        write: (doc, text) => new ActionPlan(doc).measure('m1')!.update({ statusReason: text }),
        read: (doc) => new ActionPlan(doc).measure('m1')!.fields.statusReason,
      },
      {
        setup: (doc) => new ActionPlan(doc).addTarget({}, 'end', 't1'),
        write: (doc, text) => new ActionPlan(doc).target('t1')!.update({ indicator: text }),
        read: (doc) => new ActionPlan(doc).target('t1')!.fields.indicator,
      },
      {
        setup: (doc) => applyTemplate(doc, { kind: 'pilot', title: 'Elcyklar' }),
        write: (doc, text) => new PilotLog(doc).update({ theme: text }),
        read: (doc) => new PilotLog(doc).fields.theme,
      },
    ];
    for (const { setup, write, read } of cases) {
      const [a, b] = replicas(setup);
      write(a, 'Budget');
      write(b, 'Tid');
      exchange(a, b);
      expect(read(a)).toHaveLength('BudgetTid'.length);
      expect(read(a)).toContain('Budget');
      expect(read(a)).toContain('Tid');
      expect(read(b)).toBe(read(a));
    }
  });

  it('a field written as a plain string (schema version 1) reads as before and becomes a Y.Text at its first change', () => {
    const doc = new Y.Doc();
    const measure = new Y.Map<unknown>();
    doc.getMap('measures').set('m1', measure);
    measure.set('title', 'Solceller på skolor');
    measure.set('responsibleBody', 'org-1');
    const model = new ActionPlan(doc).measure('m1')!;
    expect(model.fields.title).toBe('Solceller på skolor');
    // No Y.Text for an editor's caret yet, and asking does not create one.
    expect(model.text('title')).toBeNull();
    expect(measure.get('title')).toBe('Solceller på skolor');
    // Writing the same value changes nothing.
    const before = Y.encodeStateVector(doc);
    model.update({ title: 'Solceller på skolor' });
    expect(Y.encodeStateVector(doc)).toEqual(before);
    model.update({ title: 'Solceller på alla skolor', responsibleBody: 'org-2' });
    expect(measure.get('title')).toBeInstanceOf(Y.Text);
    expect(model.text('title')).toBe(measure.get('title'));
    expect(model.fields.title).toBe('Solceller på alla skolor');
    // An organisation id is a choice, not typed text: it stays a plain value.
    expect(measure.get('responsibleBody')).toBe('org-2');
  });

  it('writeText changes only the span that differs, and nothing for an unchanged or empty field', () => {
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    writeText(map, 'empty', '');
    expect(map.has('empty')).toBe(false);
    writeText(map, 'f', 'Energi');
    const text = map.get('f') as Y.Text;
    const deltas: unknown[] = [];
    text.observe((event) => deltas.push(...event.delta));
    writeText(map, 'f', 'Energiplan');
    writeText(map, 'f', 'Energiplan');
    expect(deltas).toEqual([{ retain: 6 }, { insert: 'plan' }]);
    expect(map.get('f')).toBe(text);
    expect(readString(map, 'f')).toBe('Energiplan');
  });
});
