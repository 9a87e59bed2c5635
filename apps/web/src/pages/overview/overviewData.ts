import { MEASURE_STATUSES, type MeasureStatus } from '@samverkan/model';
import type { OverviewCell, OverviewImpact, OverviewTarget } from '@samverkan/protocol';

/** The shapes of `GET /api/overview`, shared with the server through `@samverkan/protocol`. */
export type { OverviewCell, OverviewResponse, OverviewTarget } from '@samverkan/protocol';
/** Expected and actual impact, summed (tonnes CO₂e and MWh per year). */
export type Impact = OverviewImpact;

/** Statuses in the order of a measure's life, then any the server sends that this build does not know. */
export function statusesOf(cells: readonly OverviewCell[]): string[] {
  const extra = [...new Set(cells.map((cell) => cell.status))].filter((status) => !(MEASURE_STATUSES as readonly string[]).includes(status));
  return [...MEASURE_STATUSES, ...extra.sort()];
}

export function isKnownStatus(status: string): status is MeasureStatus {
  return (MEASURE_STATUSES as readonly string[]).includes(status);
}

/** Measures per sector and status: one row per sector that has measures, counts by status. */
export interface SectorRow {
  sector: string | null;
  total: number;
  byStatus: Record<string, number>;
}

/**
 * Counts of measures by sector and status, for one organisation (`organisationId`) or the whole
 * network (`undefined`). Sectors keep the order of first appearance in `sectorOrder`; measures
 * without a sector come last.
 */
export function measuresBySector(cells: readonly OverviewCell[], sectorOrder: readonly string[], organisationId?: string | null): SectorRow[] {
  const rows = new Map<string | null, SectorRow>();
  for (const cell of cells) {
    if (organisationId !== undefined && cell.organisationId !== organisationId) continue;
    const row = rows.get(cell.sector) ?? { sector: cell.sector, total: 0, byStatus: {} };
    row.total += cell.measures;
    row.byStatus[cell.status] = (row.byStatus[cell.status] ?? 0) + cell.measures;
    rows.set(cell.sector, row);
  }
  const rank = (sector: string | null) => (sector === null ? Number.MAX_SAFE_INTEGER : sectorOrder.indexOf(sector) === -1 ? sectorOrder.length : sectorOrder.indexOf(sector));
  return [...rows.values()].sort((a, b) => rank(a.sector) - rank(b.sector));
}

/** Expected and actual impact per organisation, in the order of `organisationOrder` (unknown ones last). */
export function impactByOrganisation(cells: readonly OverviewCell[], organisationOrder: readonly string[]): (Impact & { organisationId: string | null })[] {
  const rows = new Map<string | null, Impact & { organisationId: string | null }>();
  for (const cell of cells) {
    const row = rows.get(cell.organisationId) ?? {
      organisationId: cell.organisationId,
      measures: 0,
      estimatedCo2ReductionT: 0,
      actualCo2ReductionT: 0,
      estimatedEnergySavingsMwh: 0,
      actualEnergySavingsMwh: 0,
    };
    row.measures += cell.measures;
    row.estimatedCo2ReductionT += cell.estimatedCo2ReductionT;
    row.actualCo2ReductionT += cell.actualCo2ReductionT;
    row.estimatedEnergySavingsMwh += cell.estimatedEnergySavingsMwh;
    row.actualEnergySavingsMwh += cell.actualEnergySavingsMwh;
    rows.set(cell.organisationId, row);
  }
  const rank = (id: string | null) => (id === null ? Number.MAX_SAFE_INTEGER : organisationOrder.indexOf(id) === -1 ? organisationOrder.length : organisationOrder.indexOf(id));
  return [...rows.values()].sort((a, b) => rank(a.organisationId) - rank(b.organisationId));
}

/** A target worth a chart: it has a trajectory (baseline and target) or at least one actual value. */
export function hasFigures(target: OverviewTarget): boolean {
  return trajectoryEnds(target) !== null || target.progress.length > 0;
}

/** The two ends of the straight line from the baseline to the target, or null without them. */
export function trajectoryEnds(target: OverviewTarget): [{ year: number; value: number }, { year: number; value: number }] | null {
  const { baselineYear, baselineValue, targetYear, targetValue } = target;
  if (baselineYear === null || baselineValue === null || targetYear === null || targetValue === null) return null;
  return [
    { year: baselineYear, value: baselineValue },
    { year: targetYear, value: targetValue },
  ];
}

/** One year of a target's table and chart. */
export interface TargetYear {
  year: number;
  actual: number | null;
  trajectory: number | null;
  onTrack: boolean | null;
}

/**
 * Every year worth showing for a target: the baseline year, each year with an actual value and
 * the target year, in order. Actual years take the server's trajectory and verdict; the two
 * ends take the baseline and target values.
 */
export function trajectoryYears(target: OverviewTarget): TargetYear[] {
  const years = new Map<number, TargetYear>();
  const ends = trajectoryEnds(target);
  for (const end of ends ?? []) years.set(end.year, { year: end.year, actual: null, trajectory: end.value, onTrack: null });
  for (const point of target.progress) years.set(point.year, { year: point.year, actual: point.actual, trajectory: point.trajectory, onTrack: point.onTrack });
  return [...years.values()].sort((a, b) => a.year - b.year);
}
