import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Writer, readMarkers } from './client.js';
import { latencyChart, summarise, table } from './report.js';
import { percentile } from './stats.js';

describe('bench building blocks', () => {
  it('finds the markers a writer puts in its updates, inside a real Yjs update', () => {
    const writer = new Writer(7);
    const first = writer.next();
    const second = writer.next();
    expect(readMarkers(first).map((marker) => [marker.writerId, marker.seq])).toEqual([[7, 1]]);
    const merged = Y.mergeUpdates([first, second]);
    expect(readMarkers(merged).map((marker) => marker.seq)).toEqual([1, 2]);
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
});
