import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ActionPlan, type MeasureFields } from './ActionPlan.js';
import { fragmentText, setParagraphs } from './fields.js';
import { Network, seeded } from './testing.js';

const allMeasureFields: MeasureFields = {
  title: 'Laddinfrastruktur i Luleå',
  sector: 'transport',
  areaOfIntervention: 'Elfordon',
  policyInstrument: 'Kommunal investering',
  responsibleBody: 'org-lulea',
  responsibleDepartment: 'Stadsbyggnadsförvaltningen',
  status: 'ongoing',
  statusReason: 'Upphandlingen är klar',
  implementationStart: '2026-01-01',
  implementationEnd: '2028-12-31',
  implementationCost: 12_500_000,
  funding: 'Klimatklivet 50 %',
  estimatedCo2ReductionT: 1800.5,
  estimatedEnergySavingsMwh: 3200,
  actualCo2ReductionT: 420,
  actualEnergySavingsMwh: 600.25,
  indicators: 'Antal publika laddpunkter; andel elbilar',
};

function copy(doc: Y.Doc): Y.Doc {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  return other;
}

describe('ActionPlan', () => {
  it('round-trips every field through an encoded document', () => {
    const doc = new Y.Doc();
    const plan = new ActionPlan(doc);
    plan.setTitle('Klimat- och energiplan 2030');
    plan.setPeriod(2026, 2030);
    setParagraphs(plan.summary, ['Vision: fossilfritt 2045.', 'Nuläge: 410 kt CO₂e.']);
    const target = plan.addTarget({
      indicator: 'Territoriella utsläpp',
      unit: 't CO₂e/år',
      scope: 'Geografiskt område',
      baselineYear: 2019,
      baselineValue: 410_000,
      targetYear: 2030,
      targetValue: 150_000,
    });
    target.setActual(2024, 330_000);
    target.setActual(2025, 312_500);
    const measure = plan.addMeasure(allMeasureFields);
    setParagraphs(measure.description, ['200 nya laddpunkter vid kommunala parkeringar.']);
    measure.setContactUserIds(['user-1', 'user-2']);
    measure.setSdgs([7, 11, 13]);
    measure.setPilotLinks(['pilot-9']);
    measure.setMeasureLinks([{ planId: 'plan-pitea', measureId: 'measure-3' }]);

    const loaded = new ActionPlan(copy(doc));
    expect(loaded.title).toBe('Klimat- och energiplan 2030');
    expect(loaded.period).toEqual({ startYear: 2026, endYear: 2030 });
    expect(loaded.summaryText).toBe('Vision: fossilfritt 2045.\nNuläge: 410 kt CO₂e.');
    const [loadedTarget] = loaded.targets;
    expect(loadedTarget?.fields).toEqual(target.fields);
    expect([...(loadedTarget?.actuals ?? [])]).toEqual([
      [2024, 330_000],
      [2025, 312_500],
    ]);
    const [loadedMeasure] = loaded.measures;
    expect(loadedMeasure?.id).toBe(measure.id);
    expect(loadedMeasure?.fields).toEqual(allMeasureFields);
    expect(fragmentText(loadedMeasure!.description)).toBe('200 nya laddpunkter vid kommunala parkeringar.');
    expect(loadedMeasure?.contactUserIds).toEqual(['user-1', 'user-2']);
    expect(loadedMeasure?.sdgs).toEqual([7, 11, 13]);
    expect(loadedMeasure?.pilotLinks).toEqual(['pilot-9']);
    expect(loadedMeasure?.measureLinks).toEqual([{ planId: 'plan-pitea', measureId: 'measure-3' }]);

    // Clearing fields and values.
    loadedMeasure!.update({ implementationCost: null, sector: null });
    loadedTarget!.setActual(2024, null);
    expect(loadedMeasure!.fields.implementationCost).toBeNull();
    expect(loadedMeasure!.fields.sector).toBeNull();
    expect([...loadedTarget!.actuals.keys()]).toEqual([2025]);
  });

  it('refuses values outside the model', () => {
    const plan = new ActionPlan(new Y.Doc());
    const measure = plan.addMeasure({ title: 'x' });
    expect(() => measure.update({ sector: 'space' as never })).toThrow('unknown sector');
    expect(() => measure.update({ status: 'maybe' as never })).toThrow('unknown status');
    expect(() => measure.setSdgs([18])).toThrow('1–17');
    expect(() => measure.update({ implementationCost: Number.NaN })).toThrow('finite');
    expect(() => plan.addTarget().setActual(2024.5, 1)).toThrow('integer');
  });

  it('orders measures by fractional keys: insert before/after, move, remove', () => {
    const plan = new ActionPlan(new Y.Doc());
    const a = plan.addMeasure({ title: 'A' });
    const c = plan.addMeasure({ title: 'C' });
    plan.addMeasure({ title: 'B' }, { after: a.id });
    plan.addMeasure({ title: 'Start' }, 'start');
    expect(plan.measures.map((measure) => measure.fields.title)).toEqual(['Start', 'A', 'B', 'C']);
    plan.moveMeasure(c.id, { before: a.id });
    expect(plan.measures.map((measure) => measure.fields.title)).toEqual(['Start', 'C', 'A', 'B']);
    plan.moveMeasure(c.id, 'end');
    plan.removeMeasure(a.id);
    expect(plan.measures.map((measure) => measure.fields.title)).toEqual(['Start', 'B', 'C']);
  });

  it('a plan damaged by a client that does not follow the model still lists, adds and moves: non-map items and unusable order keys are passed over', () => {
    const doc = new Y.Doc();
    const plan = new ActionPlan(doc);
    const a = plan.addMeasure({ title: 'A' });
    const b = plan.addMeasure({ title: 'B' });
    // What a hand-made Yjs client could write: a string where a measure belongs, and an order
    // key fractional-indexing refuses, on the last item.
    doc.getMap('measures').set('skräp', 'inte en åtgärd');
    (doc.getMap('measures').get(b.id) as Y.Map<unknown>).set('order', 'z');
    expect(plan.measures.map((measure) => measure.fields.title)).toEqual(['A', 'B']);
    expect(plan.measure('skräp')).toBeNull();
    plan.moveMeasure('skräp', 'start');
    const c = plan.addMeasure({ title: 'C' });
    const d = plan.addMeasure({ title: 'D' }, { after: b.id });
    plan.moveMeasure(a.id, 'end');
    plan.addMeasure({ title: 'Start' }, 'start');
    const titles = plan.measures.map((measure) => measure.fields.title);
    expect([...titles].sort()).toEqual(['A', 'B', 'C', 'D', 'Start']);
    expect(titles[0]).toBe('Start');
    // New items go next to the usable keys; the item with the refused key keeps its place.
    expect(titles.indexOf('C')).toBeLessThan(titles.indexOf('A'));
    expect(plan.measure(c.id)?.fields.title).toBe('C');
    expect(plan.measure(d.id)?.fields.title).toBe('D');
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`three replicas in random delivery orders converge (seed ${seed})`, () => {
      const network = new Network(3, seeded(seed));
      const [first, second, third] = network.docs.map((doc) => new ActionPlan(doc)) as [ActionPlan, ActionPlan, ActionPlan];
      const ids = ['m1', 'm2', 'm3', 'm4'].map((id, index) => first.addMeasure({ title: `Åtgärd ${index + 1}` }, 'end', id).id);
      network.deliverAll();

      // Concurrent edits to different fields and measures all survive.
      first.measure(ids[0]!)!.update({ title: 'Cykelvägar' });
      second.measure(ids[0]!)!.update({ implementationCost: 900_000 });
      third.measure(ids[1]!)!.update({ status: 'done', statusReason: 'Klar' });
      second.measure(ids[1]!)!.setSdgs([11]);
      third.measure(ids[1]!)!.setSdgs([13]);
      // Two concurrent moves of the same measure.
      first.moveMeasure(ids[3]!, 'start');
      second.moveMeasure(ids[3]!, { after: ids[1]! });
      // A reorder concurrent with a delete.
      third.moveMeasure(ids[2]!, 'start');
      first.removeMeasure(ids[2]!);
      // Two concurrent inserts between the same neighbours get equal keys: ties break by id.
      first.addMeasure({ title: 'Tvilling A' }, { after: ids[0]! }, 'twin-a');
      second.addMeasure({ title: 'Tvilling B' }, { after: ids[0]! }, 'twin-b');
      network.deliverAll();

      const lists = [first, second, third].map((plan) => plan.measures.map((measure) => measure.id));
      expect(lists[1]).toEqual(lists[0]);
      expect(lists[2]).toEqual(lists[0]);
      expect(new Set(lists[0]).size).toBe(lists[0]!.length); // no duplicates
      expect(lists[0]).not.toContain(ids[2]); // no ghost of the deleted measure
      expect(lists[0]!.filter((id) => id === ids[3])).toHaveLength(1);
      const twins = lists[0]!.filter((id) => id.startsWith('twin'));
      expect(twins).toEqual(['twin-a', 'twin-b']);
      for (const plan of [first, second, third]) {
        expect(plan.measure(ids[0]!)!.fields).toMatchObject({ title: 'Cykelvägar', implementationCost: 900_000 });
        expect(plan.measure(ids[1]!)!.fields).toMatchObject({ status: 'done', statusReason: 'Klar' });
        expect(plan.measure(ids[1]!)!.sdgs).toEqual([11, 13]);
      }
    });
  }

  it('keeps people as ids: no name or e-mail address appears in an encoded document after an editing session', () => {
    const people = [
      { id: 'u-7Hq2', name: 'Lars Lindqvist', email: 'lars.lindqvist@lulea.se' },
      { id: 'u-P0x9', name: 'Pia Persson', email: 'pia.persson@pitea.se' },
    ];
    const network = new Network(2, seeded(9));
    const [mine, theirs] = network.docs.map((doc) => new ActionPlan(doc)) as [ActionPlan, ActionPlan];
    mine.setTitle('Gemensam plan');
    const measure = mine.addMeasure({ title: 'Solceller på skolor', responsibleBody: 'org-lulea' });
    measure.setContactUserIds(people.map((person) => person.id));
    network.deliverAll();
    theirs.measure(measure.id)!.update({ status: 'ongoing', statusReason: 'Upphandlat' });
    theirs.measure(measure.id)!.setContactUserIds([people[1]!.id]);
    setParagraphs(theirs.measure(measure.id)!.description, ['Ansvarig: se kontaktperson.']);
    network.deliverAll();
    const encoded = Buffer.from(Y.encodeStateAsUpdate(network.docs[0]!)).toString('latin1');
    const utf8 = Buffer.from(Y.encodeStateAsUpdate(network.docs[0]!)).toString('utf8');
    for (const person of people) {
      for (const text of [person.name, person.email, person.email.split('@')[0]!]) {
        expect(encoded).not.toContain(text);
        expect(utf8).not.toContain(text);
      }
    }
    expect(utf8).toContain(people[1]!.id);
  });
});
