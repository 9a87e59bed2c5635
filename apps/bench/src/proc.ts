import { readFileSync, readdirSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU time of a process (all threads) in microseconds: in user space and in the kernel. */
export function processCpuSplitMicros(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) / CLOCK_TICKS) * 1e6, system: (Number(fields[12]) / CLOCK_TICKS) * 1e6 };
}

/** Resident set size of a process in bytes. */
export function processRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** One counter of `/proc/<pid>/io` (0 where it cannot be read). */
function ioCounter(pid: number, name: 'write_bytes' | 'syscw'): number {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(io);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Bytes a process has caused to be written to storage. */
export function processWriteBytes(pid: number): number {
  return ioCounter(pid, 'write_bytes');
}

/** Write system calls a process has made (write, writev, pwrite: sockets and files alike). */
export function processWriteCalls(pid: number): number {
  return ioCounter(pid, 'syscw');
}

/**
 * Times the threads of a process went to sleep (voluntary context switches, summed over
 * `/proc/<pid>/task/*`): waits for the disk and idle waits for the network. On a virtual
 * machine the wake-up after an idle wait costs tens of microseconds of CPU (a Node process
 * woken by a 1 ms timer: about 30 µs a wake here). 0 where it cannot be read.
 */
export function processSleeps(pid: number): number {
  let sleeps = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const task of tasks) {
    try {
      const match = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'));
      if (match) sleeps += Number(match[1]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return sleeps;
}

/** This process's CPU time in microseconds. */
export function ownCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** This process's soft limit of open files (children inherit it), or null where it cannot be read. */
export function openFilesLimit(): number | null {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
