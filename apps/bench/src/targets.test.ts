import { describe, expect, it } from 'vitest';
import type { Summary } from './report.js';
import { type TargetContext, checkTargets, targetTable } from './targets.js';

const FANOUT = 'fan-out 200×10 @10/s';

function summary(scenario: string, server: string, metrics: Record<string, number>, extra: Partial<Summary> = {}): Summary {
  return { scenario, server, metrics, lost: 0, errors: [], invalid: false, notes: [], ...extra };
}

/** A full run in which every target holds. */
function passingRun(): Summary[] {
  return [
    summary(FANOUT, 'samverkan', { p99Ms: 9, cpuMicrosPerDelivered: 13 }),
    summary(FANOUT, 'y-websocket', { p99Ms: 7, cpuMicrosPerDelivered: 20 }),
    summary(FANOUT, 'hocuspocus', { p99Ms: 30, cpuMicrosPerDelivered: 30 }),
    summary('fan-out 200×10 @80/s', 'samverkan', { p99Ms: 500, cpuMicrosPerDelivered: 50 }),
    summary('hot document 200 clients', 'samverkan', { awarenessPerClientPerSecondMax: 18 }),
    summary('memory 1000 idle connections / 1000 documents', 'samverkan', { rssPerDocumentKiB: 50, heapPerDocumentKiB: 50, heapPerDocumentNetKiB: 50 }),
    summary('memory 1000 idle connections / 1000 documents', 'y-websocket', { rssPerDocumentKiB: 20, heapPerDocumentKiB: 8, heapPerDocumentNetKiB: 4 }),
    summary('memory 10000 idle connections / 1000 documents', 'samverkan', {
      rssPerConnectionKiB: 4,
      heapPerConnectionKiB: 3.5,
      rssPerDocumentKiB: 5,
      heapPerDocumentKiB: 3.7,
      heapPerDocumentNetKiB: 1,
    }),
    summary('memory 10000 idle connections / 1000 documents', 'y-websocket', { rssPerDocumentKiB: 20, heapPerDocumentKiB: 7.6, heapPerDocumentNetKiB: 4 }),
    summary('persistence 20 writers, 24000 updates/s offered', 'samverkan', { updatesPerSecond: 23_900, commitLagP99Ms: 16, bytesWrittenPerUpdateByte: 2.1 }),
    summary('cold load 10000 updates', 'samverkan', { p95Ms: 400 }),
    summary('cold load 100000 updates', 'samverkan', { p95Ms: 20 }),
    summary('reconnect storm 1000 clients on 100 documents', 'samverkan', { resyncAllMs: 400 }),
  ];
}

const context: TargetContext = { fanout: FANOUT, fsyncP99Ms: 0.3, elapsedMinutes: 18, full: true };
const verdict = (summaries: Summary[], target: string, overrides: Partial<TargetContext> = {}) =>
  checkTargets(summaries, { ...context, ...overrides }).find((check) => check.target.startsWith(target))?.met;

describe('benchmark targets', () => {
  it('judges every target met on a run that meets them, from the largest scenario of each family', () => {
    const checks = checkTargets(passingRun(), context);
    expect(checks.filter((check) => check.met !== true)).toEqual([]);
    expect(checks).toHaveLength(15);
    // The 1000-connection memory row (50 KiB per document) and the 10k-update cold load (400 ms) are not the ones judged.
    expect(checks.find((check) => check.target.startsWith('cold load'))?.target).toContain('100000');
    expect(targetTable(checks)).toContain('met');
  });

  it('fails the CPU target above 0.7 × the reference, and reports the ratio', () => {
    const run = passingRun();
    (run[0] as Summary).metrics.cpuMicrosPerDelivered = 14.1;
    expect(verdict(run, 'fan-out server CPU')).toBe(false);
    const check = checkTargets(run, context).find((entry) => entry.target.startsWith('fan-out server CPU'));
    expect(check?.measured).toContain('0.71×');
    expect(targetTable([check!])).toContain('NOT MET');
  });

  it('bounds fan-out p99 by the better peer + 3 ms, or the fsync p99 + 1 ms when that is larger', () => {
    const run = passingRun();
    (run[0] as Summary).metrics.p99Ms = 10.5;
    expect(verdict(run, 'fan-out p99')).toBe(false);
    expect(verdict(run, 'fan-out p99', { fsyncP99Ms: 10 })).toBe(true);
  });

  it('counts updates lost in any scenario, and compares documents with the reference at half', () => {
    const run = passingRun();
    (run[3] as Summary).lost = 1;
    expect(verdict(run, 'updates lost')).toBe(false);
    const heavier = passingRun();
    (heavier[7] as Summary).metrics.heapPerDocumentKiB = 3.9;
    expect(verdict(heavier, 'open idle document heap (with')).toBe(false);
    expect(verdict(heavier, 'open idle document heap (net')).toBe(true);
  });

  it('needs at least 20,000 durable updates a second, and judges the full mode by its wall time', () => {
    const run = passingRun();
    (run[9] as Summary).metrics.updatesPerSecond = 19_980;
    expect(verdict(run, 'persistence ≥')).toBe(false);
    expect(verdict(passingRun(), 'full mode', { elapsedMinutes: 31 })).toBe(false);
    expect(verdict(passingRun(), 'full mode', { elapsedMinutes: undefined })).toBeNull();
  });

  it('reports a target as not measured when its scenario, its peer or a valid run is missing', () => {
    const run = passingRun().filter((entry) => entry.server !== 'y-websocket');
    expect(verdict(run, 'fan-out server CPU')).toBeNull();
    expect(verdict(run, 'open idle document RSS')).toBeNull();
    // The other peer still bounds the latency.
    expect(verdict(run, 'fan-out p99')).toBe(true);
    const invalid = passingRun();
    (invalid[4] as Summary).invalid = true;
    expect(verdict(invalid, 'hot document')).toBeNull();
    expect(verdict(passingRun().slice(0, 3), 'reconnect storm')).toBeNull();
    expect(checkTargets(passingRun(), { ...context, full: false }).some((check) => check.target.startsWith('full mode'))).toBe(false);
  });
});
