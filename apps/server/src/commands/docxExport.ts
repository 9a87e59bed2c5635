import { type ActionPlan, type NameLookup, fragmentText } from '@samverkan/model';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

/**
 * The plan as a Word document (DOCX): title, period, summary, targets and every measure with its
 * key figures. Built from the same typed model as the other exports.
 */
export async function planToDocx(plan: ActionPlan, options: { language?: 'sv' | 'en'; names?: NameLookup } = {}): Promise<Buffer> {
  const sv = (options.language ?? 'sv') === 'sv';
  const names = options.names ?? (() => undefined);
  const children: Paragraph[] = [new Paragraph({ text: plan.title, heading: HeadingLevel.TITLE })];
  const { startYear, endYear } = plan.period;
  if (startYear || endYear) children.push(new Paragraph(`Period: ${startYear ?? ''}–${endYear ?? ''}`));
  for (const line of plan.summaryText.split('\n').filter(Boolean)) children.push(new Paragraph(line));
  children.push(new Paragraph({ text: sv ? 'Mål' : 'Targets', heading: HeadingLevel.HEADING_1 }));
  for (const target of plan.targets) {
    const fields = target.fields;
    children.push(
      new Paragraph({
        bullet: { level: 0 },
        children: [
          new TextRun({ text: `${fields.indicator} (${fields.unit}): `, bold: true }),
          new TextRun(`${fields.baselineValue ?? '–'} (${fields.baselineYear ?? '–'}) → ${fields.targetValue ?? '–'} (${fields.targetYear ?? '–'})`),
        ],
      }),
    );
  }
  children.push(new Paragraph({ text: sv ? 'Åtgärder' : 'Measures', heading: HeadingLevel.HEADING_1 }));
  for (const measure of plan.measures) {
    const fields = measure.fields;
    children.push(new Paragraph({ text: fields.title, heading: HeadingLevel.HEADING_2 }));
    const facts: [string, string][] = [
      [sv ? 'Sektor' : 'Sector', fields.sector ?? ''],
      ['Status', `${fields.status}${fields.statusReason ? ` – ${fields.statusReason}` : ''}`],
      [sv ? 'Ansvarig' : 'Responsible body', fields.responsibleBody ? (names(fields.responsibleBody) ?? fields.responsibleBody) : ''],
      [sv ? 'Genomförande' : 'Implementation', fields.implementationStart || fields.implementationEnd ? `${fields.implementationStart}–${fields.implementationEnd}` : ''],
      [sv ? 'Kostnad (SEK)' : 'Cost (SEK)', fields.implementationCost === null ? '' : String(fields.implementationCost)],
      [sv ? 'Förväntad minskning (t CO₂e/år)' : 'Expected reduction (t CO₂e/year)', fields.estimatedCo2ReductionT === null ? '' : String(fields.estimatedCo2ReductionT)],
      ['Agenda 2030', measure.sdgs.join(', ')],
    ];
    for (const [label, value] of facts) {
      if (value) children.push(new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] }));
    }
    for (const line of fragmentText(measure.description).split('\n').filter(Boolean)) children.push(new Paragraph(line));
  }
  const document = new Document({ creator: 'Samverkan', title: plan.title, sections: [{ children }] });
  return Packer.toBuffer(document);
}
