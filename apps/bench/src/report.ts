import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScenarioResult } from './scenarios.js';
import { median, percentile, round } from './stats.js';

/** Medians over repeats, per scenario and server. */
export interface Summary {
  scenario: string;
  server: string;
  metrics: Record<string, number>;
  lost: number;
  errors: string[];
  invalid: boolean;
  notes: string[];
  /** Worked out from other summaries (no runs of its own: no lost row in the table). */
  derived?: boolean;
}

export function summarise(results: ScenarioResult[], maxGeneratorCpu: number): Summary[] {
  const groups = new Map<string, ScenarioResult[]>();
  for (const result of results) {
    const key = `${result.scenario}\u0000${result.server}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((runs) => {
    const metrics: Record<string, number> = {};
    for (const name of Object.keys(runs[0]!.metrics)) metrics[name] = median(runs.map((run) => run.metrics[name] as number));
    return {
      scenario: runs[0]!.scenario,
      server: runs[0]!.server,
      metrics,
      lost: runs.reduce((sum, run) => sum + run.lost, 0),
      errors: runs.flatMap((run) => run.errors),
      invalid: runs.some((run) => run.generatorCpu > maxGeneratorCpu),
      notes: [...new Set(runs.flatMap((run) => run.notes ?? []))],
    };
  });
}

/**
 * Per server, the offered load at which the fan-out p99 reaches `thresholdMs` (the "the
 * load at which p99 reaches 50 ms"), from every fan-out summary that carries an offered load
 * (the base run and the ramp): interpolated linearly between the highest load below the
 * threshold and the next one. Not valid if either of those runs is not; NaN, with a note, when
 * no load tried reached it.
 */
export function loadAtLatency(summaries: Summary[], thresholdMs: number): Summary[] {
  const servers = [...new Set(summaries.map((summary) => summary.server))];
  const out: Summary[] = [];
  for (const server of servers) {
    const points = summaries
      .filter((summary) => summary.server === server && Number.isFinite(summary.metrics.offeredUpdatesPerSecond) && Number.isFinite(summary.metrics.p99Ms))
      .sort((a, b) => (a.metrics.offeredUpdatesPerSecond as number) - (b.metrics.offeredUpdatesPerSecond as number));
    if (points.length < 2) continue;
    const load = (point: Summary) => point.metrics.offeredUpdatesPerSecond as number;
    const p99 = (point: Summary) => point.metrics.p99Ms as number;
    const above = points.findIndex((point) => p99(point) >= thresholdMs);
    const notes: string[] = [];
    let value = Number.NaN;
    let used: Summary[] = [];
    if (above === -1) {
      notes.push(`p99 stayed under ${thresholdMs} ms up to ${load(points.at(-1) as Summary)} updates/s`);
    } else if (above === 0) {
      value = load(points[0] as Summary);
      used = [points[0] as Summary];
      notes.push(`p99 was ${thresholdMs} ms or more already at the lowest load tried`);
    } else {
      const low = points[above - 1] as Summary;
      const high = points[above] as Summary;
      value = load(low) + ((thresholdMs - p99(low)) * (load(high) - load(low))) / (p99(high) - p99(low));
      used = [low, high];
    }
    out.push({
      scenario: `fan-out: load at which p99 reaches ${thresholdMs} ms`,
      server,
      metrics: { offeredUpdatesPerSecond: value },
      lost: 0,
      errors: [],
      invalid: used.some((point) => point.invalid),
      notes,
      derived: true,
    });
  }
  return out;
}

/** A plain table: one row per scenario and metric, one column per server, plus project/peer ratios. */
export function table(summaries: Summary[], servers: string[]): string {
  const scenarios = [...new Set(summaries.map((summary) => summary.scenario))];
  const header = ['scenario', 'metric', ...servers, ...servers.slice(1).map((peer) => `${servers[0]}/${peer}`)];
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    const byServer = new Map(summaries.filter((summary) => summary.scenario === scenario).map((summary) => [summary.server, summary]));
    const metrics = Object.keys([...byServer.values()][0]?.metrics ?? {});
    const derived = [...byServer.values()].every((summary) => summary.derived);
    for (const metric of derived ? metrics : [...metrics, 'lost']) {
      const values = servers.map((server) => {
        const summary = byServer.get(server);
        if (!summary) return Number.NaN;
        return metric === 'lost' ? summary.lost : (summary.metrics[metric] as number);
      });
      const ratios = servers.slice(1).map((_, index) => {
        const peer = values[index + 1] as number;
        return metric === 'lost' || !Number.isFinite(peer) || peer === 0 ? '' : String(round((values[0] as number) / peer, 2));
      });
      const flags = servers.map((server) => (byServer.get(server)?.invalid ? '*' : ''));
      rows.push([scenario, metric, ...values.map((value, index) => (Number.isFinite(value) ? String(round(value, 2)) : 'n/a') + flags[index]), ...ratios]);
    }
  }
  return plainTable(header, rows);
}

/** Columns padded to their widest cell, a rule under the header. */
export function plainTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** An SVG of the fan-out latency distributions (cumulative share of deliveries by latency). */
export function latencyChart(series: { server: string; latencies: number[] }[], title: string): string {
  const width = 720;
  const height = 360;
  const left = 60;
  const bottom = 40;
  const top = 40;
  const right = 160;
  const all = series.flatMap((entry) => entry.latencies);
  const maxX = Math.max(1, percentile(all, 99.9));
  const colours = ['#1b6e3c', '#b3541e', '#2b5aa8', '#7a3b8f'];
  const x = (value: number) => left + (Math.min(value, maxX) / maxX) * (width - left - right);
  const y = (share: number) => height - bottom - share * (height - bottom - top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-family="sans-serif" font-size="15" fill="#222">${title}</text>`,
    `<line x1="${left}" y1="${y(0)}" x2="${width - right}" y2="${y(0)}" stroke="#444"/>`,
    `<line x1="${left}" y1="${y(0)}" x2="${left}" y2="${y(1)}" stroke="#444"/>`,
  ];
  for (const share of [0, 0.5, 0.9, 0.99, 1]) {
    parts.push(`<text x="${left - 8}" y="${y(share) + 4}" font-family="sans-serif" font-size="11" text-anchor="end" fill="#444">${Math.round(share * 100)}%</text>`);
    parts.push(`<line x1="${left}" y1="${y(share)}" x2="${width - right}" y2="${y(share)}" stroke="#ddd"/>`);
  }
  for (let tick = 0; tick <= 4; tick++) {
    const value = (maxX * tick) / 4;
    parts.push(`<text x="${x(value)}" y="${height - bottom + 16}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="#444">${round(value, 1)} ms</text>`);
  }
  series.forEach((entry, index) => {
    const sorted = [...entry.latencies].sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(sorted.length / 400));
    const points: string[] = [];
    for (let position = 0; position < sorted.length; position += step) points.push(`${round(x(sorted[position] as number), 1)},${round(y((position + 1) / sorted.length), 1)}`);
    if (sorted.length > 0) points.push(`${round(x(sorted[sorted.length - 1] as number), 1)},${y(1)}`);
    const colour = colours[index % colours.length] as string;
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>`);
    parts.push(`<text x="${width - right + 12}" y="${top + 20 + index * 20}" font-family="sans-serif" font-size="13" fill="${colour}">${entry.server} p99 ${round(percentile(entry.latencies, 99), 1)} ms</text>`);
  });
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - 6}" font-family="sans-serif" font-size="12" text-anchor="middle" fill="#444">propagation latency (writer → other clients)</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

export function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
