import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Writer, readMarkers } from './client.js';
import { type Summary, latencyChart, loadAtLatency, summarise, table } from './report.js';
import { percentile } from './stats.js';

describe('bench building blocks', () => {
  it('finds the markers a writer puts in its updates, inside a real Yjs update', () => {
    const writer = new Writer(7);
    const first = writer.next();
    const second = writer.next();
    expect(readMarkers(first).map((marker) => [marker.writerId, marker.seq])).toEqual([[7, 1]]);
    const merged = Y.mergeUpdates([first, second]);
    expect(readMarkers(merged).map((marker) => marker.seq)).toEqual([1, 2]);
    const text = new TextEncoder().encode('@@ @@7:@@x@@12:345:6789.125@@@@9:1:2.5@@ @@1:2:3@@');
    expect(readMarkers(text)).toEqual([
      { writerId: 12, seq: 345, sentAt: 6789.125 },
      { writerId: 9, seq: 1, sentAt: 2.5 },
    ]);
  });

  it('computes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises repeats by median, flags an overloaded generator, and renders table and chart', () => {
    const run = (server: string, p99: number, generatorCpu = 0.2) => ({
      scenario: 'fan-out',
      server,
      metrics: { p99Ms: p99 },
      lost: 0,
      errors: [],
      generatorCpu,
      latencies: [1, 2, p99],
    });
    const summaries = summarise([run('a', 4), run('a', 6), run('a', 5), run('b', 10, 0.95)], 0.85);
    expect(summaries.find((summary) => summary.server === 'a')?.metrics.p99Ms).toBe(5);
    expect(summaries.find((summary) => summary.server === 'b')?.invalid).toBe(true);
    const text = table(summaries, ['a', 'b']);
    expect(text).toContain('10*');
    expect(text).toContain('0.5');
    const svg = latencyChart([{ server: 'a', latencies: [1, 2, 3] }], 'title');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('polyline');
  });

  it('finds the load at which the fan-out p99 reaches a threshold, interpolating between the loads tried', () => {
    const point = (server: string, load: number, p99Ms: number, invalid = false): Summary => ({
      scenario: `fan-out @${load}`,
      server,
      metrics: { offeredUpdatesPerSecond: load, p99Ms },
      lost: 0,
      errors: [],
      invalid,
      notes: [],
    });
    const rows = loadAtLatency(
      [
        point('a', 4000, 11), // listed out of order on purpose
        point('a', 2000, 6),
        point('a', 8000, 57, true),
        point('b', 2000, 5),
        point('b', 4000, 9),
        point('c', 2000, 60),
        point('c', 4000, 900),
        point('d', 2000, 1), // one load only: no ramp
        { ...point('a', 1, 1), scenario: 'hot document', metrics: { p99Ms: 1 } },
      ],
      50,
    );
    const of = (server: string) => rows.find((row) => row.server === server);
    expect(of('a')?.metrics.offeredUpdatesPerSecond).toBeCloseTo(4000 + (39 * 4000) / 46, 6);
    expect(of('a')?.invalid).toBe(true);
    expect(of('b')?.metrics.offeredUpdatesPerSecond).toBeNaN();
    expect(of('b')?.notes[0]).toContain('up to 4000');
    expect(of('b')?.invalid).toBe(false);
    expect(of('c')?.metrics.offeredUpdatesPerSecond).toBe(2000);
    expect(of('c')?.notes[0]).toContain('lowest load');
    expect(of('d')).toBeUndefined();
    // A derived row has no runs of its own: the table shows no lost row for it.
    expect(table(rows, ['a', 'b', 'c'])).not.toContain('lost');
  });
});
