import type { ActionPlan, NameLookup } from '@samverkan/model';
import type { Paragraph } from 'docx';

/**
 * The plan as a Word document (DOCX): title, period, summary, targets and every measure with its
 * key figures. Built from the same typed model as the other exports.
 */
export async function planToDocx(plan: ActionPlan, options: { language?: 'sv' | 'en'; names?: NameLookup } = {}): Promise<Buffer> {
  const sv = (options.language ?? 'sv') === 'sv';
  const names = options.names ?? (() => undefined);
  // docx is loaded on the first Word export only.
  const { Document, HeadingLevel, Packer, Paragraph: DocxParagraph, TextRun } = await import('docx');
  const children: Paragraph[] = [new DocxParagraph({ text: plan.title, heading: HeadingLevel.TITLE })];
  const { startYear, endYear } = plan.period;
  if (startYear || endYear) children.push(new DocxParagraph(`Period: ${startYear ?? ''}–${endYear ?? ''}`));
  for (const line of plan.summaryText.split('\n').filter(Boolean)) children.push(new DocxParagraph(line));
  children.push(new DocxParagraph({ text: sv ? 'Mål' : 'Targets', heading: HeadingLevel.HEADING_1 }));
  for (const target of plan.targets) {
    const fields = target.fields;
    children.push(
      new DocxParagraph({
        bullet: { level: 0 },
        children: [
          new TextRun({ text: `${fields.indicator} (${fields.unit}): `, bold: true }),
          new TextRun(`${fields.baselineValue ?? '–'} (${fields.baselineYear ?? '–'}) → ${fields.targetValue ?? '–'} (${fields.targetYear ?? '–'})`),
        ],
      }),
    );
  }
  children.push(new DocxParagraph({ text: sv ? 'Åtgärder' : 'Measures', heading: HeadingLevel.HEADING_1 }));
  for (const measure of plan.measures) {
    const fields = measure.fields;
    children.push(new DocxParagraph({ text: fields.title, heading: HeadingLevel.HEADING_2 }));
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
      if (value) children.push(new DocxParagraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] }));
    }
    for (const line of measure.descriptionText.split('\n').filter(Boolean)) children.push(new DocxParagraph(line));
  }
  const document = new Document({ creator: 'Samverkan', title: plan.title, sections: [{ children }] });
  return Packer.toBuffer(document);
}
