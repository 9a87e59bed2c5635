import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setParagraphs } from './fields.js';
import { PILOT_SECTIONS, type PilotFields, PilotLog } from './PilotLog.js';
import { Network, seeded } from './testing.js';

const allFields: PilotFields = {
  sector: 'transport',
  theme: 'Elcyklar i hemtjänsten',
  testedPlanId: 'plan-kiruna',
  testedMeasureId: 'measure-12',
  status: 'completed',
  startDate: '2026-03-01',
  reviewDate: '2026-06-01',
  endDate: '2026-09-30',
  recommendation: 'adopt',
  shareAsGoodPractice: true,
};

describe('PilotLog', () => {
  it('round-trips every field, section and log entry', () => {
    const doc = new Y.Doc();
    const pilot = new PilotLog(doc);
    pilot.setTitle('Elcykelpool');
    pilot.update(allFields);
    PILOT_SECTIONS.forEach((section, index) => setParagraphs(pilot.section(section), [`${section} ${index}: å ä ö`]));
    const first = pilot.addEntry('user-1', '2026-03-02');
    setParagraphs(first.body, ['Start med fyra cyklar.']);
    const second = pilot.addEntry('user-2', '2026-04-10');
    setParagraphs(second.body, ['Snö i april – färre turer.']);
    second.setDate('2026-04-11');

    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const loaded = new PilotLog(copy);
    expect(loaded.title).toBe('Elcykelpool');
    expect(loaded.fields).toEqual(allFields);
    PILOT_SECTIONS.forEach((section, index) => expect(loaded.sectionText(section)).toBe(`${section} ${index}: å ä ö`));
    expect(loaded.entries.map((entry) => [entry.authorId, entry.date])).toEqual([
      ['user-1', '2026-03-02'],
      ['user-2', '2026-04-11'],
    ]);
    expect(loaded.entries.map((entry) => entry.body.toJSON())).toEqual([first.body.toJSON(), second.body.toJSON()]);
    loaded.update({ recommendation: null, shareAsGoodPractice: false });
    expect(loaded.fields.recommendation).toBeNull();
    expect(loaded.fields.shareAsGoodPractice).toBe(false);
    loaded.removeEntry(first.id);
    expect(loaded.entries).toHaveLength(1);
  });

  it('refuses values outside the model', () => {
    const pilot = new PilotLog(new Y.Doc());
    expect(() => pilot.update({ status: 'paused' as never })).toThrow('unknown status');
    expect(() => pilot.update({ recommendation: 'maybe' as never })).toThrow('unknown recommendation');
    expect(() => pilot.update({ sector: 'mars' as never })).toThrow('unknown sector');
  });

  it('concurrent entries by several editors all survive, in the same order everywhere', () => {
    const network = new Network(3, seeded(42));
    const logs = network.docs.map((doc) => new PilotLog(doc));
    logs.forEach((log, index) => {
      for (let entry = 0; entry < 3; entry++) setParagraphs(log.addEntry(`user-${index}`, `2026-05-0${entry + 1}`).body, [`${index}-${entry}`]);
    });
    logs[0]!.update({ status: 'running' });
    logs[1]!.update({ recommendation: 'continue' });
    network.deliverAll();
    const orders = logs.map((log) => log.entries.map((entry) => entry.id));
    expect(orders[0]).toHaveLength(9);
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
    for (const log of logs) expect(log.fields).toMatchObject({ status: 'running', recommendation: 'continue' });
  });
});
