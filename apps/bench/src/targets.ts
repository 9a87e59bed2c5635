import { type Summary, plainTable } from './report.js';
import { round } from './stats.js';

/** One acceptance target of the benchmark issue, judged on one run's medians. */
export interface TargetCheck {
  target: string;
  /** What Samverkan measured (with the peer's figure where the bound is relative). */
  measured: string;
  /** The bound, worked out for this run. */
  bound: string;
  /** Met, not met, or null when this run did not measure it (scenario or peer not run, or a run not valid). */
  met: boolean | null;
}

/** What the checks need besides the summaries. */
export interface TargetContext {
  /** Scenario name of the base fan-out (200 documents × 10 clients at 10 updates/s in full mode). */
  fanout: string | undefined;
  /** The machine's fsync p99, measured at the start of the run. */
  fsyncP99Ms: number;
  /** Wall time of the whole run; undefined for a partial one (some scenarios, servers or repeats). */
  elapsedMinutes: number | undefined;
  full: boolean;
}

const PROJECT = 'samverkan';
const REFERENCE = 'y-websocket';

const format = (value: number, unit: string): string => `${round(value, 2)}${unit}`;

/**
 * The targets of the benchmark issue's acceptance list, each judged on this run's medians, so a
 * full run says itself which hold. A check whose scenario (or peer) did not run, or whose run is
 * marked not valid (generator above its CPU limit), is reported as not measured rather than met.
 */
export function checkTargets(summaries: Summary[], context: TargetContext): TargetCheck[] {
  const row = (scenario: string | undefined, server: string): Summary | undefined =>
    scenario === undefined ? undefined : summaries.find((summary) => summary.scenario === scenario && summary.server === server);
  const metric = (summary: Summary | undefined, name: string): number | undefined => {
    const value = summary?.metrics[name];
    return summary && !summary.invalid && typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  /** The scenario of a family with the largest leading number after its prefix (most connections, most updates). */
  const largest = (prefix: string): string | undefined =>
    [...new Set(summaries.filter((summary) => summary.scenario.startsWith(prefix)).map((summary) => summary.scenario))].sort(
      (a, b) => Number(b.slice(prefix.length).match(/\d+/)?.[0] ?? 0) - Number(a.slice(prefix.length).match(/\d+/)?.[0] ?? 0),
    )[0];
  const checks: TargetCheck[] = [];
  /**
   * One check. `describe` is the unit of an absolute bound (the value and `≤ bound` in it, `≥`
   * when `atMost` is false), or a function for a bound worked out from a peer.
   */
  const add = (target: string, value: number | undefined, bound: number | undefined, describe: string | ((value: number, bound: number) => [string, string]), atMost = true) => {
    if (value === undefined || bound === undefined) {
      checks.push({ target, measured: 'not measured', bound: '', met: null });
      return;
    }
    const [measured, boundText] =
      typeof describe === 'string' ? [format(value, describe), `${atMost ? '≤' : '≥'} ${bound}${describe}`] : describe(value, bound);
    checks.push({ target, measured, bound: boundText, met: atMost ? value <= bound : value >= bound });
  };

  const projectRows = summaries.filter((summary) => summary.server === PROJECT);
  const lost = projectRows.reduce((sum, summary) => sum + summary.lost, 0);
  checks.push({ target: 'updates lost (every scenario)', measured: String(lost), bound: '0', met: projectRows.length === 0 ? null : lost === 0 });

  const fanProject = row(context.fanout, PROJECT);
  const fanReference = row(context.fanout, REFERENCE);
  const referenceCpu = metric(fanReference, 'cpuMicrosPerDelivered');
  add('fan-out server CPU per delivered update ≤ 0.7 × reference', metric(fanProject, 'cpuMicrosPerDelivered'), referenceCpu === undefined ? undefined : 0.7 * referenceCpu, (value, bound) => [
    `${format(value, ' µs')} (${round(value / (referenceCpu as number), 2)}×)`,
    `≤ ${format(bound, ' µs')} (0.7 × ${format(referenceCpu as number, ' µs')})`,
  ]);
  const peerP99s = summaries
    .filter((summary) => summary.scenario === context.fanout && summary.server !== PROJECT)
    .map((summary) => metric(summary, 'p99Ms'))
    .filter((value): value is number => value !== undefined);
  const betterPeer = peerP99s.length > 0 ? Math.min(...peerP99s) : undefined;
  const latencyBound = betterPeer === undefined ? undefined : Math.max(betterPeer + 3, context.fsyncP99Ms + 1);
  add('fan-out p99 ≤ better peer + 3 ms (or fsync p99 + 1 ms if larger)', metric(fanProject, 'p99Ms'), latencyBound, (value, bound) => [
    format(value, ' ms'),
    `≤ ${format(bound, ' ms')} (better peer ${format(betterPeer as number, ' ms')})`,
  ]);

  const memory = largest('memory ');
  const memoryProject = row(memory, PROJECT);
  const memoryReference = row(memory, REFERENCE);
  add('idle connection RSS ≤ 10 KiB', metric(memoryProject, 'rssPerConnectionKiB'), 10, ' KiB');
  add('idle connection heap ≤ 6 KiB', metric(memoryProject, 'heapPerConnectionKiB'), 6, ' KiB');
  for (const [name, label] of [
    ['rssPerDocumentKiB', 'RSS'],
    ['heapPerDocumentKiB', 'heap (with the connection that opened it)'],
    ['heapPerDocumentNetKiB', 'heap (net of its connection)'],
  ] as const) {
    const reference = metric(memoryReference, name);
    add(`open idle document ${label} ≤ 0.5 × reference`, metric(memoryProject, name), reference === undefined ? undefined : reference / 2, (value, bound) => [
      `${format(value, ' KiB')} (${round(value / (reference as number), 2)}×)`,
      `≤ ${format(bound, ' KiB')} (0.5 × ${format(reference as number, ' KiB')})`,
    ]);
  }

  const hot = row(largest('hot document'), PROJECT);
  add('hot document: awareness messages per client per second ≤ 20', metric(hot, 'awarenessPerClientPerSecondMax'), 20, '/s');

  const persistence = row(largest('persistence '), PROJECT);
  add('persistence ≥ 20,000 durable updates/s', metric(persistence, 'updatesPerSecond'), 20_000, '/s', false);
  add('persistence commit lag p99 ≤ 50 ms', metric(persistence, 'commitLagP99Ms'), 50, ' ms');
  add('persistence bytes written per byte of update ≤ 3', metric(persistence, 'bytesWrittenPerUpdateByte'), 3, '');

  const cold = largest('cold load ');
  add(`cold load p95 ≤ 150 ms${cold ? ` (${cold})` : ''}`, metric(row(cold, PROJECT), 'p95Ms'), 150, ' ms');
  const storm = largest('reconnect storm ');
  add(`reconnect storm resynced ≤ 1 s${storm ? ` (${storm})` : ''}`, metric(row(storm, PROJECT), 'resyncAllMs'), 1000, ' ms');
  if (context.full) add('full mode ≤ 30 minutes', context.elapsedMinutes, 30, ' min');
  return checks;
}

/** The checks as a plain table. */
export function targetTable(checks: TargetCheck[]): string {
  const rows = checks.map((check) => [check.target, check.measured, check.bound, check.met === null ? 'not measured' : check.met ? 'met' : 'NOT MET']);
  return plainTable(['target', 'samverkan', 'bound', 'verdict'], rows);
}
