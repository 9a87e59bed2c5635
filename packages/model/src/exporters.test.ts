import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ActionPlan } from './ActionPlan.js';
import { extractEntries, extractFacts } from './catalogue.js';
import { MEASURE_CSV_COLUMNS, measuresToCsv, pilotToMarkdown, planToJson, planToMarkdown } from './exporters.js';
import { setParagraphs } from './fields.js';
import { PilotLog } from './PilotLog.js';

function samplePlan(): ActionPlan {
  const plan = new ActionPlan(new Y.Doc());
  plan.setTitle('Klimatplan Piteå');
  plan.setPeriod(2026, 2030);
  setParagraphs(plan.summary, ['Fossilfritt 2045.']);
  const target = plan.addTarget({ indicator: 'Utsläpp', unit: 't CO₂e/år', baselineYear: 2019, baselineValue: 200_000, targetYear: 2030, targetValue: 80_000 });
  target.setActual(2025, 150_000);
  const measure = plan.addMeasure({
    title: 'Biogas, "lokal" produktion',
    sector: 'energy_supply',
    areaOfIntervention: 'Förnybar energi',
    policyInstrument: 'Investering',
    responsibleBody: 'org-pitea',
    responsibleDepartment: 'Teknik',
    status: 'ongoing',
    statusReason: 'Bygglov klart',
    implementationStart: '2026-04-01',
    implementationEnd: '2027-12-31',
    implementationCost: 3_000_000,
    funding: 'Egen budget',
    estimatedCo2ReductionT: 950,
    estimatedEnergySavingsMwh: 4000,
    actualCo2ReductionT: 100,
    actualEnergySavingsMwh: 200,
    indicators: 'GWh biogas',
    // A fixed id: a random one begins with '-' in 1 of 64 runs, and the CSV then neutralises it
    // as a formula ("'-…"), which is right for the export and made this test fail by chance.
  }, 'end', 'measure-biogas');
  measure.setSdgs([7, 13]);
  setParagraphs(measure.description, ['Rötning av matavfall.']);
  plan.addMeasure({ title: '=HYPERLINK("x")', sector: 'waste' });
  return plan;
}

/** Minimal RFC 4180 parser for the test (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r') continue;
    else if (char === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  return rows;
}

describe('exports', () => {
  const names = (id: string) => ({ 'org-pitea': 'Piteå kommun', 'user-1': 'Pia Persson' })[id];

  it('measures to CSV with SECAP-aligned columns, field by field', () => {
    const plan = samplePlan();
    const rows = parseCsv(measuresToCsv(plan, names));
    expect(rows[0]).toEqual(MEASURE_CSV_COLUMNS.map(([, header]) => header));
    const record = Object.fromEntries(MEASURE_CSV_COLUMNS.map(([key], index) => [key, rows[1]![index]]));
    expect(record).toEqual({
      id: plan.measures[0]!.id,
      title: 'Biogas, "lokal" produktion',
      sector: 'energy_supply',
      areaOfIntervention: 'Förnybar energi',
      policyInstrument: 'Investering',
      responsibleBody: 'Piteå kommun',
      responsibleDepartment: 'Teknik',
      implementationStart: '2026-04-01',
      implementationEnd: '2027-12-31',
      implementationCost: '3000000',
      funding: 'Egen budget',
      estimatedCo2ReductionT: '950',
      estimatedEnergySavingsMwh: '4000',
      actualCo2ReductionT: '100',
      actualEnergySavingsMwh: '200',
      status: 'ongoing',
      statusReason: 'Bygglov klart',
      sdgs: '7 13',
      indicators: 'GWh biogas',
      description: 'Rötning av matavfall.',
    });
    expect(rows[2]![1]).toBe(`'=HYPERLINK("x")`); // formulas are neutralised
    expect(rows).toHaveLength(3);
  });

  it('plan to Markdown and JSON', () => {
    const plan = samplePlan();
    const markdown = planToMarkdown(plan, { names });
    expect(markdown).toContain('# Klimatplan Piteå');
    expect(markdown).toContain('Period: 2026–2030');
    expect(markdown).toContain('- **Utsläpp** (t CO₂e/år): 200000 (2019) → 80000 (2030)');
    expect(markdown).toContain('  - 2025: 150000');
    expect(markdown).toContain('### Biogas, "lokal" produktion');
    expect(markdown).toContain('- Sektor: Energiförsörjning');
    expect(markdown).toContain('- Ansvarig: Piteå kommun, Teknik');
    expect(markdown).toContain('- Kostnad: 3000000 SEK');
    expect(markdown).toContain('- Agenda 2030: 7, 13');
    expect(markdown).toContain('Rötning av matavfall.');
    expect(planToMarkdown(plan, { language: 'en' })).toContain('- Sector: Energy supply');
    const json = planToJson(plan, names) as { measures: { title: string; responsibleBody: string }[]; targets: { actuals: Record<string, number> }[] };
    expect(json.measures.map((measure) => measure.title)).toEqual(['Biogas, "lokal" produktion', '=HYPERLINK("x")']);
    expect(json.targets[0]!.actuals).toEqual({ 2025: 150_000 });
  });

  it('printable HTML escapes every text and holds the same content as the Markdown', async () => {
    const { planToHtml } = await import('./htmlExport.js');
    const plan = samplePlan();
    plan.setTitle('Plan <script>alert(1)</script> & mer');
    const html = planToHtml(plan, { names });
    expect(html).not.toContain('<script>');
    expect(html).toContain('Plan &lt;script&gt;alert(1)&lt;/script&gt; &amp; mer');
    expect(html).toContain('<h3>Biogas, &quot;lokal&quot; produktion</h3>');
    expect(html).toContain('<li>Ansvarig: Piteå kommun, Teknik</li>');
    expect(html).toContain('@media print');
  });

  it('pilot to Markdown, with what went less well and the log', () => {
    const pilot = new PilotLog(new Y.Doc());
    pilot.setTitle('Elcykelpool');
    pilot.update({ sector: 'transport', status: 'stopped', recommendation: 'stop', startDate: '2026-03-01', endDate: '2026-06-30' });
    setParagraphs(pilot.section('wentLessWell'), ['Cyklarna stod still i snön.']);
    setParagraphs(pilot.addEntry('user-1', '2026-03-15').body, ['Första veckan.']);
    const markdown = pilotToMarkdown(pilot, { names });
    expect(markdown).toContain('# Elcykelpool');
    expect(markdown).toContain('- Rekommendation: stop');
    expect(markdown).toContain('## Det här gick mindre bra\n\nCyklarna stod still i snön.');
    expect(markdown).toContain('### 2026-03-15 – Pia Persson');
  });
});

describe('reading never writes', () => {
  it('search entries, facts and every export of a plan and a pilot log leave the document unchanged, also where a description or an entry body was never written', () => {
    const planDoc = new Y.Doc();
    const plan = new ActionPlan(planDoc);
    plan.setTitle('Läses bara');
    // Written by a client that does not create the nested rich text with the item.
    plan.addMeasure({ title: 'Utan beskrivning' });
    for (const measure of planDoc.getMap<Y.Map<unknown>>('measures').values()) measure.delete('description');
    const pilotDoc = new Y.Doc();
    const pilot = new PilotLog(pilotDoc);
    pilot.addEntry('user-1', '2026-11-20');
    for (const entry of pilotDoc.getMap<Y.Map<unknown>>('entries').values()) entry.delete('body');
    for (const [doc, read] of [
      [planDoc, () => [extractEntries(planDoc), extractFacts(planDoc), measuresToCsv(plan), planToJson(plan), planToMarkdown(plan)]],
      [pilotDoc, () => [extractEntries(pilotDoc), extractFacts(pilotDoc), pilotToMarkdown(pilot)]],
    ] as const) {
      const before = Y.encodeStateVector(doc);
      let writes = 0;
      doc.on('update', () => writes++);
      read();
      expect(writes).toBe(0);
      expect(Y.encodeStateVector(doc)).toEqual(before);
    }
  });
});
