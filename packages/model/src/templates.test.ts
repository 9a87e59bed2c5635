import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ActionPlan } from './ActionPlan.js';
import { SCHEMA_VERSION, getSchemaVersion, getTitle } from './DocumentMeta.js';
import { PILOT_SECTIONS, PilotLog } from './PilotLog.js';
import { applyTemplate } from './templates.js';

describe('templates', () => {
  it('an empty SECAP-style plan in Swedish and in English', () => {
    for (const [language, heading, indicator] of [
      ['sv', 'Vision', 'Territoriella utsläpp av växthusgaser'],
      ['en', 'Baseline', 'Territorial greenhouse gas emissions'],
    ] as const) {
      const doc = new Y.Doc();
      applyTemplate(doc, { kind: 'plan', title: 'Plan', language });
      const plan = new ActionPlan(doc);
      expect(getSchemaVersion(doc)).toBe(SCHEMA_VERSION);
      expect(getTitle(doc)).toBe('Plan');
      expect(plan.summaryText).toContain(heading);
      expect(plan.targets.map((target) => target.fields.indicator)).toContain(indicator);
      expect(plan.measures).toEqual([]);
    }
  });

  it('a pilot log with a prompt in every section', () => {
    const doc = new Y.Doc();
    applyTemplate(doc, { kind: 'pilot', title: 'Pilot', language: 'en' });
    const pilot = new PilotLog(doc);
    for (const section of PILOT_SECTIONS) expect(pilot.sectionText(section).length).toBeGreaterThan(10);
    expect(pilot.sectionText('wentLessWell')).toContain('less well');
    expect(pilot.fields.status).toBe('planned');
  });
});
