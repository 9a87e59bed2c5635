import { describe, expect, it } from 'vitest';
import type { Store } from '../store/ports.js';
import { Metrics } from './metrics.js';

/** The gauges' sources: only what a scrape reads. */
const sources = { connections: () => 3, loadedDocuments: () => 2, store: { commitQueueLength: () => 0 } as unknown as Store };

describe('Metrics', () => {
  it("collects Node's own metrics (and runs the event-loop lag monitor) only once served", async () => {
    const metrics = new Metrics(sources);
    const names = async () => (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(await names()).toContain('samverkan_connections');
    expect(await names()).not.toContain('nodejs_eventloop_lag_seconds');
    const served = await metrics.serve(0, '127.0.0.1');
    try {
      const text = await (await fetch(`http://127.0.0.1:${served.port}/metrics`)).text();
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      expect(text).toMatch(/samverkan_connections 3/);
      // Serving twice does not register the defaults twice (prom-client would throw).
      const again = await metrics.serve(0, '127.0.0.1');
      again.server.close();
    } finally {
      served.server.close();
    }
  });
});
