// Preloaded into every benchmarked server (`node --expose-gc --import …/memoryProbe.mjs`):
// on SIGUSR2 it collects garbage and writes process.memoryUsage() as JSON to $MEMORY_PROBE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    writeFileSync(file, JSON.stringify(process.memoryUsage()));
  });
}

// While profiling (BENCH_CPU_PROF), a server without a SIGTERM handler of its own exits
// normally on SIGTERM, so that `--cpu-prof` writes its profile.
if (process.env.BENCH_CPU_PROF) {
  setImmediate(() => {
    if (process.listenerCount('SIGTERM') === 0) process.on('SIGTERM', () => process.exit(0));
  });
}
