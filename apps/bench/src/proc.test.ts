import { describe, expect, it } from 'vitest';
import { processSleeps } from './proc.js';

describe('processSleeps', () => {
  it('counts the times the threads of a process went to sleep', async () => {
    const before = processSleeps(process.pid);
    // Each wait leaves the event loop nothing to do: the main thread sleeps until the timer.
    for (let index = 0; index < 5; index++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(processSleeps(process.pid) - before).toBeGreaterThanOrEqual(5);
  });

  it('is 0 for a process that does not exist', () => {
    expect(processSleeps(2 ** 22 + 1)).toBe(0);
  });
});
