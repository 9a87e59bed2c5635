import { describe, expect, it } from 'vitest';
import { type OverviewCell, type OverviewTarget, hasFigures, impactByOrganisation, measuresBySector, statusesOf, trajectoryYears } from './overviewData.js';

const cell = (organisationId: string | null, sector: string | null, status: string, measures: number, co2 = 0): OverviewCell => ({
  organisationId,
  sector,
  status,
  measures,
  estimatedCo2ReductionT: co2,
  actualCo2ReductionT: 0,
  estimatedEnergySavingsMwh: 0,
  actualEnergySavingsMwh: 0,
});

describe('overview figures', () => {
  const cells = [cell('pitea', 'waste', 'done', 1, 45), cell('lulea', 'transport', 'planned', 2, 80), cell('pitea', 'transport', 'planned', 1, 300), cell('lulea', null, 'ongoing', 1, 5)];

  it('counts measures by sector and status for the network or one organisation, sectors in model order, none last', () => {
    expect(measuresBySector(cells, ['transport', 'waste'])).toEqual([
      { sector: 'transport', total: 3, byStatus: { planned: 3 } },
      { sector: 'waste', total: 1, byStatus: { done: 1 } },
      { sector: null, total: 1, byStatus: { ongoing: 1 } },
    ]);
    expect(measuresBySector(cells, ['transport', 'waste'], 'pitea').map((row) => [row.sector, row.total])).toEqual([
      ['transport', 1],
      ['waste', 1],
    ]);
  });

  it('sums impact per organisation in the given order', () => {
    expect(impactByOrganisation(cells, ['lulea', 'pitea']).map((row) => [row.organisationId, row.measures, row.estimatedCo2ReductionT])).toEqual([
      ['lulea', 3, 85],
      ['pitea', 2, 345],
    ]);
  });

  it('keeps statuses in life order and adds unknown ones', () => {
    expect(statusesOf([cell('x', null, 'archived', 1)])).toEqual(['planned', 'ongoing', 'done', 'paused', 'cancelled', 'archived']);
  });

  it('lists the baseline, each actual year and the target year of a target', () => {
    const target: OverviewTarget = {
      documentId: 'd',
      documentTitle: 'Plan',
      organisationId: null,
      id: 't',
      indicator: 'Utsläpp',
      unit: 't',
      baselineYear: 2020,
      baselineValue: 200,
      targetYear: 2030,
      targetValue: 100,
      progress: [{ year: 2024, actual: 150, trajectory: 160, onTrack: true }],
    };
    expect(trajectoryYears(target)).toEqual([
      { year: 2020, actual: null, trajectory: 200, onTrack: null },
      { year: 2024, actual: 150, trajectory: 160, onTrack: true },
      { year: 2030, actual: null, trajectory: 100, onTrack: null },
    ]);
    expect(hasFigures({ ...target, baselineYear: null, progress: [] })).toBe(false);
  });
});
