import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/ports.js';
import type { RejectReason, SyncObserver } from '../sync/SyncObserver.js';

/** Sources the gauges read when Prometheus scrapes. */
export interface MetricSources {
  connections(): number;
  loadedDocuments(): number;
  store: Store;
}

/**
 * Prometheus metrics of one server process. `observer` is handed to the sync core; `serve`
 * exposes `/metrics` on its own port, never on the public one.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly observer: SyncObserver;
  private servesDefaults = false;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    new Gauge({
      name: 'samverkan_connections',
      help: 'Open Yjs WebSocket connections',
      registers,
      collect() {
        this.set(sources.connections());
      },
    });
    new Gauge({
      name: 'samverkan_documents_loaded',
      help: 'Documents in memory',
      registers,
      collect() {
        this.set(sources.loadedDocuments());
      },
    });
    new Gauge({
      name: 'samverkan_commit_queue_length',
      help: 'Appends waiting for the next group commit',
      registers,
      collect() {
        this.set(sources.store.commitQueueLength());
      },
    });
    const received = new Counter({ name: 'samverkan_updates_received_total', help: 'Client writes accepted', registers });
    const relayed = new Counter({
      name: 'samverkan_updates_relayed_total',
      help: 'Committed updates delivered to other connections (one per connection)',
      registers,
    });
    const commit = new Histogram({
      name: 'samverkan_commit_duration_seconds',
      help: 'Time from receiving a write to it being durable',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const rejected = new Counter({
      name: 'samverkan_rejected_frames_total',
      help: 'Frames and messages refused, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.observer = {
      updateReceived: () => received.inc(),
      updateRelayed: (connections) => {
        if (connections > 0) relayed.inc(connections);
      },
      committed: (seconds) => commit.observe(seconds),
      rejected: (reason: RejectReason) => rejected.inc({ reason }),
    };
  }

  /**
   * Serves `GET /metrics` on `port` (0 = any free port) at `host`, with Node's own metrics
   * (heap, event-loop lag, …). Those are collected only when served: the event-loop lag monitor
   * wakes the process every 20 ms, which an idle server that nobody scrapes should not pay
   * (measured: 55 wake-ups and about 1.2% of a core a second, idle).
   */
  async serve(port: number, host: string): Promise<{ server: Server; port: number }> {
    if (!this.servesDefaults) {
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
      this.servesDefaults = true;
    }
    const server = createServer((request, response) => {
      if (request.method === 'GET' && (request.url ?? '').split('?')[0] === '/metrics') {
        this.registry
          .metrics()
          .then((body) => {
            response.writeHead(200, { 'content-type': this.registry.contentType });
            response.end(body);
          })
          .catch(() => {
            response.writeHead(500).end();
          });
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return { server, port: (server.address() as AddressInfo).port };
  }
}
