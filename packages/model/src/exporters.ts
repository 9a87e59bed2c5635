import { type ActionPlan, type Measure, type SECTORS } from './ActionPlan.js';
import { PILOT_SECTIONS, type PilotLog, type PilotSection } from './PilotLog.js';

/** Names to show instead of ids (organisations, users), resolved by the caller when exporting. */
export type NameLookup = (id: string) => string | undefined;

export type ExportLanguage = 'sv' | 'en';

const sectorNames: Record<ExportLanguage, Record<(typeof SECTORS)[number], string>> = {
  sv: {
    transport: 'Transporter',
    buildings: 'Byggnader',
    energy_supply: 'Energiförsörjning',
    industry: 'Industri',
    agriculture_forestry: 'Jord- och skogsbruk',
    waste: 'Avfall',
    consumption: 'Konsumtion',
    adaptation: 'Klimatanpassning',
    other: 'Övrigt',
  },
  en: {
    transport: 'Transport',
    buildings: 'Buildings',
    energy_supply: 'Energy supply',
    industry: 'Industry',
    agriculture_forestry: 'Agriculture and forestry',
    waste: 'Waste',
    consumption: 'Consumption',
    adaptation: 'Adaptation',
    other: 'Other',
  },
};

const sectionTitles: Record<ExportLanguage, Record<PilotSection, string>> = {
  sv: {
    hypothesis: 'Hypotes',
    method: 'Metod',
    successSignals: 'Tecken på att det fungerar',
    failureSignals: 'Tecken på att det inte fungerar',
    results: 'Resultat',
    wentWell: 'Det här gick bra',
    wentLessWell: 'Det här gick mindre bra',
    surprises: 'Överraskningar',
  },
  en: {
    hypothesis: 'Hypothesis',
    method: 'Method',
    successSignals: 'Signs of success',
    failureSignals: 'Signs of failure',
    results: 'Results',
    wentWell: 'What went well',
    wentLessWell: 'What went less well',
    surprises: 'Surprises',
  },
};

/**
 * CSV columns of measures, named after the Covenant of Mayors SECAP action template where it
 * has a field, so a spreadsheet maps onto that template.
 */
export const MEASURE_CSV_COLUMNS = [
  ['id', 'Action id'],
  ['title', 'Title of the action'],
  ['sector', 'Sector'],
  ['areaOfIntervention', 'Area of intervention'],
  ['policyInstrument', 'Policy instrument'],
  ['responsibleBody', 'Responsible body'],
  ['responsibleDepartment', 'Responsible department'],
  ['implementationStart', 'Implementation start'],
  ['implementationEnd', 'Implementation end'],
  ['implementationCost', 'Implementation cost (SEK)'],
  ['funding', 'Funding'],
  ['estimatedCo2ReductionT', 'Estimated CO2 reduction (t/a)'],
  ['estimatedEnergySavingsMwh', 'Estimated energy savings (MWh/a)'],
  ['actualCo2ReductionT', 'Achieved CO2 reduction (t/a)'],
  ['actualEnergySavingsMwh', 'Achieved energy savings (MWh/a)'],
  ['status', 'Implementation status'],
  ['statusReason', 'Status comment'],
  ['sdgs', 'Agenda 2030 goals'],
  ['indicators', 'Indicators'],
  ['description', 'Short description'],
] as const;

function csvCell(value: string): string {
  // Quote everything that needs it; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function measureRow(measure: Measure, names: NameLookup): Record<string, string> {
  const fields = measure.fields;
  const number = (value: number | null) => (value === null ? '' : String(value));
  return {
    id: measure.id,
    title: fields.title,
    sector: fields.sector ?? '',
    areaOfIntervention: fields.areaOfIntervention,
    policyInstrument: fields.policyInstrument,
    responsibleBody: fields.responsibleBody ? (names(fields.responsibleBody) ?? fields.responsibleBody) : '',
    responsibleDepartment: fields.responsibleDepartment,
    implementationStart: fields.implementationStart,
    implementationEnd: fields.implementationEnd,
    implementationCost: number(fields.implementationCost),
    funding: fields.funding,
    estimatedCo2ReductionT: number(fields.estimatedCo2ReductionT),
    estimatedEnergySavingsMwh: number(fields.estimatedEnergySavingsMwh),
    actualCo2ReductionT: number(fields.actualCo2ReductionT),
    actualEnergySavingsMwh: number(fields.actualEnergySavingsMwh),
    status: fields.status,
    statusReason: fields.statusReason,
    sdgs: measure.sdgs.join(' '),
    indicators: fields.indicators,
    description: measure.descriptionText,
  };
}

/** Measures as CSV (RFC 4180, comma separated, header of SECAP-aligned column names). */
export function measuresToCsv(plan: ActionPlan, names: NameLookup = () => undefined): string {
  const lines = [MEASURE_CSV_COLUMNS.map(([, header]) => csvCell(header)).join(',')];
  for (const measure of plan.measures) {
    const row = measureRow(measure, names);
    lines.push(MEASURE_CSV_COLUMNS.map(([key]) => csvCell(row[key] ?? '')).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The plan as JSON (measures with the same keys as the CSV, plus targets with their yearly values). */
export function planToJson(plan: ActionPlan, names: NameLookup = () => undefined): unknown {
  return {
    title: plan.title,
    period: plan.period,
    summary: plan.summaryText,
    targets: plan.targets.map((target) => ({ id: target.id, ...target.fields, actuals: Object.fromEntries(target.actuals) })),
    measures: plan.measures.map((measure) => measureRow(measure, names)),
  };
}

function markdownText(text: string): string {
  return text.replace(/([\\`*_[\]#<>|])/g, '\\$1');
}

/** The plan as Markdown. */
export function planToMarkdown(plan: ActionPlan, options: { language?: ExportLanguage; names?: NameLookup } = {}): string {
  const language = options.language ?? 'sv';
  const names = options.names ?? (() => undefined);
  const sv = language === 'sv';
  const lines: string[] = [`# ${markdownText(plan.title)}`, ''];
  const { startYear, endYear } = plan.period;
  if (startYear || endYear) lines.push(`${sv ? 'Period' : 'Period'}: ${startYear ?? ''}–${endYear ?? ''}`, '');
  if (plan.summaryText) lines.push(markdownText(plan.summaryText), '');
  lines.push(`## ${sv ? 'Mål' : 'Targets'}`, '');
  for (const target of plan.targets) {
    const fields = target.fields;
    lines.push(`- **${markdownText(fields.indicator)}** (${markdownText(fields.unit)}): ${fields.baselineValue ?? '–'} (${fields.baselineYear ?? '–'}) → ${fields.targetValue ?? '–'} (${fields.targetYear ?? '–'})`);
    for (const [year, value] of target.actuals) lines.push(`  - ${year}: ${value}`);
  }
  lines.push('', `## ${sv ? 'Åtgärder' : 'Measures'}`, '');
  for (const measure of plan.measures) {
    const row = measureRow(measure, names);
    const fields = measure.fields;
    lines.push(`### ${markdownText(fields.title)}`, '');
    if (fields.sector) lines.push(`- ${sv ? 'Sektor' : 'Sector'}: ${sectorNames[language][fields.sector]}`);
    lines.push(`- ${sv ? 'Status' : 'Status'}: ${fields.status}${fields.statusReason ? ` – ${markdownText(fields.statusReason)}` : ''}`);
    if (row.responsibleBody) lines.push(`- ${sv ? 'Ansvarig' : 'Responsible body'}: ${markdownText(row.responsibleBody)}${fields.responsibleDepartment ? `, ${markdownText(fields.responsibleDepartment)}` : ''}`);
    if (fields.implementationStart || fields.implementationEnd) lines.push(`- ${sv ? 'Genomförande' : 'Implementation'}: ${fields.implementationStart}–${fields.implementationEnd}`);
    if (fields.implementationCost !== null) lines.push(`- ${sv ? 'Kostnad' : 'Cost'}: ${fields.implementationCost} SEK`);
    if (fields.estimatedCo2ReductionT !== null) lines.push(`- ${sv ? 'Förväntad minskning' : 'Expected reduction'}: ${fields.estimatedCo2ReductionT} t CO₂e/${sv ? 'år' : 'year'}`);
    if (fields.actualCo2ReductionT !== null) lines.push(`- ${sv ? 'Uppnådd minskning' : 'Achieved reduction'}: ${fields.actualCo2ReductionT} t CO₂e/${sv ? 'år' : 'year'}`);
    if (measure.sdgs.length > 0) lines.push(`- Agenda 2030: ${measure.sdgs.join(', ')}`);
    if (row.description) lines.push('', markdownText(row.description));
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The pilot log as Markdown (what went less well is as prominent as what went well). */
export function pilotToMarkdown(pilot: PilotLog, options: { language?: ExportLanguage; names?: NameLookup } = {}): string {
  const language = options.language ?? 'sv';
  const names = options.names ?? (() => undefined);
  const sv = language === 'sv';
  const fields = pilot.fields;
  const lines: string[] = [`# ${markdownText(pilot.title)}`, ''];
  if (fields.sector) lines.push(`- ${sv ? 'Sektor' : 'Sector'}: ${sectorNames[language][fields.sector]}${fields.theme ? ` – ${markdownText(fields.theme)}` : ''}`);
  lines.push(`- Status: ${fields.status}`);
  if (fields.startDate || fields.endDate) lines.push(`- ${sv ? 'Tidsram' : 'Timebox'}: ${fields.startDate}–${fields.endDate}${fields.reviewDate ? ` (${sv ? 'avstämning' : 'review'} ${fields.reviewDate})` : ''}`);
  if (fields.recommendation) lines.push(`- ${sv ? 'Rekommendation' : 'Recommendation'}: ${fields.recommendation}`);
  if (fields.shareAsGoodPractice) lines.push(`- ${sv ? 'Delas som goda exempel' : 'Shared as good practice'}`);
  lines.push('');
  for (const section of PILOT_SECTIONS) {
    const text = pilot.sectionText(section);
    if (!text) continue;
    lines.push(`## ${sectionTitles[language][section]}`, '', markdownText(text), '');
  }
  const entries = pilot.entries;
  if (entries.length > 0) {
    lines.push(`## ${sv ? 'Logg' : 'Log'}`, '');
    for (const entry of entries) {
      const author = names(entry.authorId) ?? entry.authorId;
      lines.push(`### ${entry.date} – ${markdownText(author)}`, '', markdownText(entry.bodyText), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
