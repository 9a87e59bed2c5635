import { ActionPlan, PilotLog, newItemId, setParagraphs } from '@samverkan/model';
import type { MeasureFields } from '@samverkan/model';
import { type Access, allows } from '../access/accessPolicy.js';
import type { DocumentChanger, Store } from '../store/ports.js';
import { CommandError } from './CommandError.js';
import { auditUntilStored, untilStored } from './untilStored.js';

/** What adopting needs. */
export interface AdoptDeps {
  store: Store;
  access: Access;
  documents: DocumentChanger;
}

interface Copy {
  fields: Partial<MeasureFields>;
  description: string[];
  sdgs: number[];
}

/**
 * A coordinator copies a measure (or a pilot's recommendation) into a plan they may edit. The
 * copy is an independent measure from then on (written through `applyServerChange`); the link
 * and who adopted it are kept in the relational store only. Once the copy is stored, the link and
 * the audit entry wait out a store that does not answer (see untilStored).
 */
export async function measureAdopter(
  deps: AdoptDeps,
  actor: { userId: string },
  input: { sourceDocumentId: string; measureId?: string | undefined; targetPlanId: string },
): Promise<{ targetDocumentId: string; targetItemId: string }> {
  const principal = await deps.access.principalOf(actor.userId);
  const source = await deps.access.accessLevel(principal, input.sourceDocumentId);
  if (!source.document || !allows(source.level, 'read')) throw new CommandError('not_found', 'Dokumentet finns inte. / No such document.');
  const target = await deps.access.accessLevel(principal, input.targetPlanId);
  if (!target.document || !allows(target.level, 'read')) throw new CommandError('not_found', 'Målplanen finns inte. / No such target plan.');
  if (!allows(target.level, 'edit')) throw new CommandError('forbidden', 'Du kan inte redigera målplanen. / You may not edit the target plan.');
  if (target.document.type !== 'plan') throw new CommandError('validation', 'targetPlanId: Målet måste vara en handlingsplan. / The target must be an action plan.');

  const copy = await deps.documents.readDocument(source.document.id, (doc): Copy | null => {
    if (source.document!.type === 'plan') {
      const measure = input.measureId ? new ActionPlan(doc).measure(input.measureId) : null;
      if (!measure) return null;
      const { actualCo2ReductionT: _co2, actualEnergySavingsMwh: _mwh, status: _status, statusReason: _reason, ...fields } = measure.fields;
      return { fields, description: measure.descriptionText.split('\n').filter(Boolean), sdgs: measure.sdgs };
    }
    if (source.document!.type === 'pilot') {
      const pilot = new PilotLog(doc);
      const recommendation = pilot.fields.recommendation;
      return {
        fields: { title: pilot.title, sector: pilot.fields.sector },
        description: [
          pilot.sectionText('results'),
          pilot.sectionText('wentWell'),
          pilot.sectionText('wentLessWell'),
          recommendation ? `Rekommendation / Recommendation: ${recommendation}` : '',
        ].flatMap((text) => text.split('\n')).filter(Boolean),
        sdgs: [],
      };
    }
    return null;
  });
  if (!copy) throw new CommandError('not_found', 'Åtgärden finns inte. / No such measure.');

  const targetItemId = newItemId();
  await deps.documents.applyServerChange(target.document.id, (doc) => {
    const measure = new ActionPlan(doc).addMeasure({ ...copy.fields, status: 'planned' }, 'end', targetItemId);
    setParagraphs(measure.description, copy.description);
    if (copy.sdgs.length > 0) measure.setSdgs(copy.sdgs);
  });
  const adoption = {
    id: newItemId(),
    sourceDocumentId: source.document.id,
    sourceItemId: input.measureId ?? null,
    targetDocumentId: target.document.id,
    targetItemId,
    adoptedBy: actor.userId,
    adoptedAt: new Date().toISOString(),
  };
  await untilStored(deps.store, () => deps.store.adoptions.create(adoption), {
    alreadyStored: async () => (await deps.store.adoptions.listForSource(adoption.sourceDocumentId)).some((stored) => stored.id === adoption.id),
  });
  await auditUntilStored(deps.store, actor.userId, 'measure.adopt', targetItemId);
  return { targetDocumentId: target.document.id, targetItemId };
}
