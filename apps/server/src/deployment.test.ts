import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('the production image builds like a checkout', () => {
  it('runs the README commands (npm ci, npm run build) in the Dockerfile build stage and runs as non-root', () => {
    const readme = read('README.md');
    const dockerfile = read('docker/Dockerfile');
    expect(readme).toContain('npm ci && npm run build');
    const build = dockerfile.slice(dockerfile.indexOf('AS build'), dockerfile.indexOf('AS runtime'));
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/RUN npm run build\b/);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toContain('HEALTHCHECK');
  });

  it('compose runs MongoDB 7 as a replica set with a data volume and health checks', () => {
    const compose = read('docker/compose.yaml');
    expect(compose).toContain('image: mongo:7');
    expect(compose).toContain('--replSet');
    expect(compose).toContain('rs.initiate');
    expect(compose).toMatch(/mongo-data:\/data\/db/);
    expect(compose.match(/healthcheck:/g)?.length).toBe(2);
    expect(compose).toContain('replicaSet=rs0');
  });
});
