import { parseFacts } from '@samverkan/model';
import type { OverviewCell, OverviewImpact, OverviewResponse, OverviewTarget } from '@samverkan/protocol';
import { Router } from 'express';
import type { Access } from '../../access/accessPolicy.js';
import type { Store } from '../../store/ports.js';
import { requireActor } from '../session.js';

/** Value of the straight line from the baseline to the target in `year`. */
export function trajectory(baselineYear: number, baselineValue: number, targetYear: number, targetValue: number, year: number): number {
  if (targetYear === baselineYear) return targetValue;
  return baselineValue + ((targetValue - baselineValue) * (year - baselineYear)) / (targetYear - baselineYear);
}

/**
 * `GET /api/overview`: the network's figures over what the caller may read — measures by
 * sector × status × organisation with expected and actual impact, and targets with their yearly
 * actual values against the straight trajectory to the target year. Reads the catalogue's
 * extracted figures, never Yjs documents.
 */
export function overviewRoutes(deps: { store: Store; access: Access }): Router {
  const router = Router();
  router.get('/', async (_request, response) => {
    const actor = requireActor(response);
    const readable = (await deps.access.readableDocuments(await deps.access.principalOf(actor.user.id))).filter((entry) => entry.document.type === 'plan');
    const factsById = await deps.store.documents.getFacts(readable.map((entry) => entry.document.id));
    const cells = new Map<string, OverviewCell>();
    const totals: OverviewImpact = { measures: 0, estimatedCo2ReductionT: 0, actualCo2ReductionT: 0, estimatedEnergySavingsMwh: 0, actualEnergySavingsMwh: 0 };
    const targets: OverviewTarget[] = [];
    for (const { document } of readable) {
      const json = factsById.get(document.id);
      const facts = json ? parseFacts(json) : null;
      if (!facts) continue;
      for (const measure of facts.measures) {
        const key = `${document.ownerOrganisationId}\u0000${measure.sector}\u0000${measure.status}`;
        const cell = cells.get(key) ?? {
          organisationId: document.ownerOrganisationId,
          sector: measure.sector,
          status: measure.status,
          measures: 0,
          estimatedCo2ReductionT: 0,
          actualCo2ReductionT: 0,
          estimatedEnergySavingsMwh: 0,
          actualEnergySavingsMwh: 0,
        };
        cell.measures++;
        cell.estimatedCo2ReductionT += measure.estimatedCo2ReductionT ?? 0;
        cell.actualCo2ReductionT += measure.actualCo2ReductionT ?? 0;
        cell.estimatedEnergySavingsMwh += measure.estimatedEnergySavingsMwh ?? 0;
        cell.actualEnergySavingsMwh += measure.actualEnergySavingsMwh ?? 0;
        cells.set(key, cell);
        totals.measures++;
        totals.estimatedCo2ReductionT += measure.estimatedCo2ReductionT ?? 0;
        totals.actualCo2ReductionT += measure.actualCo2ReductionT ?? 0;
        totals.estimatedEnergySavingsMwh += measure.estimatedEnergySavingsMwh ?? 0;
        totals.actualEnergySavingsMwh += measure.actualEnergySavingsMwh ?? 0;
      }
      for (const target of facts.targets) {
        const { baselineYear, baselineValue, targetYear, targetValue } = target;
        const line = baselineYear !== null && baselineValue !== null && targetYear !== null && targetValue !== null;
        targets.push({
          documentId: document.id,
          documentTitle: document.title,
          organisationId: document.ownerOrganisationId,
          ...target,
          progress: Object.entries(target.actuals).map(([year, actual]) => {
            const expected = line ? trajectory(baselineYear, baselineValue, targetYear, targetValue, Number(year)) : null;
            const decreasing = line && targetValue < baselineValue;
            return {
              year: Number(year),
              actual,
              trajectory: expected,
              onTrack: expected === null ? null : decreasing ? actual <= expected : actual >= expected,
            };
          }),
        });
      }
    }
    const body: OverviewResponse = { totals, measures: [...cells.values()], targets };
    response.json(body);
  });
  return router;
}
