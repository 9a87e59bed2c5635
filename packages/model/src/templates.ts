import * as Y from 'yjs';
import { ActionPlan } from './ActionPlan.js';
import { type DocumentKind, initDocument } from './DocumentMeta.js';
import { PILOT_SECTIONS, type PilotSection, PilotLog } from './PilotLog.js';

export type TemplateLanguage = 'sv' | 'en';

type Block = { heading: string } | { paragraph: string };

const planSummary: Record<TemplateLanguage, Block[]> = {
  sv: [
    { heading: 'Vision' },
    { paragraph: 'Beskriv vart kommunen vill nå på klimat- och energiområdet till 2030 och 2045.' },
    { heading: 'Nuläge' },
    { paragraph: 'Sammanfatta utsläppsinventeringen för basåret och energibalansen.' },
    { heading: 'Risker och sårbarheter' },
    { paragraph: 'Beskriv klimatrisker och hur de påverkar kommunen (klimatanpassning).' },
    { heading: 'Genomförande och uppföljning' },
    { paragraph: 'Vem ansvarar för planen, hur följs målen upp och hur ofta?' },
  ],
  en: [
    { heading: 'Vision' },
    { paragraph: 'Describe where the municipality wants to be on climate and energy by 2030 and 2045.' },
    { heading: 'Baseline' },
    { paragraph: 'Summarise the baseline emission inventory and the energy balance.' },
    { heading: 'Risks and vulnerabilities' },
    { paragraph: 'Describe the climate risks and how they affect the municipality (adaptation).' },
    { heading: 'Implementation and monitoring' },
    { paragraph: 'Who is responsible for the plan, how are the targets followed up and how often?' },
  ],
};

const planTargets: Record<TemplateLanguage, { indicator: string; unit: string; scope: string }[]> = {
  sv: [
    { indicator: 'Territoriella utsläpp av växthusgaser', unit: 'ton CO₂e/år', scope: 'Kommunen som geografiskt område' },
    { indicator: 'Slutlig energianvändning', unit: 'MWh/år', scope: 'Kommunen som geografiskt område' },
  ],
  en: [
    { indicator: 'Territorial greenhouse gas emissions', unit: 't CO₂e/year', scope: 'The municipality as a territory' },
    { indicator: 'Final energy consumption', unit: 'MWh/year', scope: 'The municipality as a territory' },
  ],
};

const pilotPrompts: Record<TemplateLanguage, Record<PilotSection, string>> = {
  sv: {
    hypothesis: 'Vad tror vi händer om vi gör detta, och varför?',
    method: 'Hur testar vi det: vad, var, med vilka och hur länge?',
    successSignals: 'Vad visar att det fungerar?',
    failureSignals: 'Vad visar att det inte fungerar – och när avbryter vi?',
    results: 'Vad blev resultatet, i siffror och ord?',
    wentWell: 'Vad gick bra?',
    wentLessWell: 'Vad gick mindre bra? (Lika värdefullt för andra kommuner.)',
    surprises: 'Vad överraskade oss?',
  },
  en: {
    hypothesis: 'What do we expect to happen if we do this, and why?',
    method: 'How do we test it: what, where, with whom and for how long?',
    successSignals: 'What shows that it works?',
    failureSignals: 'What shows that it does not work – and when do we stop?',
    results: 'What was the outcome, in numbers and words?',
    wentWell: 'What went well?',
    wentLessWell: 'What went less well? (Just as valuable to other municipalities.)',
    surprises: 'What surprised us?',
  },
};

function writeBlocks(fragment: Y.XmlFragment, blocks: readonly Block[]): void {
  fragment.insert(
    fragment.length,
    blocks.map((block) => {
      const element = new Y.XmlElement('heading' in block ? 'heading' : 'paragraph');
      if ('heading' in block) element.setAttribute('level', '2');
      element.insert(0, [new Y.XmlText('heading' in block ? block.heading : block.paragraph)]);
      return element;
    }),
  );
}

/**
 * Fills a new document: schema version, kind and title for every kind, plus an empty
 * SECAP-style plan (summary sections and the two headline targets) or a pilot log with a prompt
 * in each section. Applied by the server through `applyServerChange` when a document is created.
 */
export function applyTemplate(doc: Y.Doc, options: { kind: DocumentKind; title: string; language?: TemplateLanguage }): void {
  const language = options.language ?? 'sv';
  doc.transact(() => {
    initDocument(doc, { kind: options.kind, title: options.title });
    if (options.kind === 'plan') {
      const plan = new ActionPlan(doc);
      writeBlocks(plan.summary, planSummary[language]);
      for (const target of planTargets[language]) plan.addTarget(target);
    } else if (options.kind === 'pilot') {
      const pilot = new PilotLog(doc);
      pilot.createTexts();
      pilot.update({ status: 'planned' });
      for (const section of PILOT_SECTIONS) writeBlocks(pilot.section(section), [{ paragraph: pilotPrompts[language][section] }]);
    }
  });
}
