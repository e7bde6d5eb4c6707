import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DrainResult } from './http-server';
import { DUPLICATE_SIGNAL_WINDOW_MS, handleShutdownSignals } from './shutdown';

/** A shutdown wired to fakes that record the order of what happened. */
function setUp({ closeDatabaseFails = false } = {}) {
  const target = new EventEmitter();
  const events: string[] = [];
  const lines: string[] = [];
  let clock = 1_000_000;
  let finishDrain: (result: DrainResult) => void = () => {};
  const drained = new Promise<DrainResult>((resolve) => (finishDrain = resolve));
  const done = handleShutdownSignals({
    target,
    drain: () => {
      events.push('drain');
      return drained;
    },
    inFlight: () => 2,
    graceMs: 10_000,
    closeApp: async () => {
      events.push('closeApp');
    },
    closeDatabase: () => {
      events.push('closeDatabase');
      if (closeDatabaseFails) throw new Error('disk gone');
    },
    exit: (code) => events.push(`exit ${code}`),
    log: (line) => lines.push(line),
    logError: (line) => lines.push(line),
    now: () => clock,
  });
  return { target, events, lines, done, finishDrain, advance: (ms: number) => (clock += ms) };
}

describe('handleShutdownSignals', () => {
  it('SIGTERM: drains first, then closes Next and the database, then exits 0, with one line at each end and no address', async () => {
    const s = setUp();
    s.target.emit('SIGTERM', 'SIGTERM');
    expect(s.events).toEqual(['drain']);
    expect(s.lines).toEqual([expect.stringMatching(/SIGTERM: draining .*2 request\(s\) in flight .*10 s/)]);
    s.finishDrain({ inFlightAtStart: 2, cutOff: 0, ms: 42 });
    await s.done;
    expect(s.events).toEqual(['drain', 'closeApp', 'closeDatabase', 'exit 0']);
    expect(s.lines[1]).toMatch(/Drained in 42 ms \(2 request\(s\) in flight at the signal, 0 cut off.*database closed\. Exiting 0\./);
    expect(s.lines.join('\n')).not.toMatch(/\d+\.\d+\.\d+\.\d+|::1/);
  });

  it('the same Ctrl-C delivered twice (terminal and npm) is one signal; a later second signal exits at once', async () => {
    const s = setUp();
    s.target.emit('SIGINT', 'SIGINT');
    s.target.emit('SIGINT', 'SIGINT'); // npm forwarding the terminal's Ctrl-C
    s.target.emit('SIGTERM', 'SIGTERM'); // a launcher forwarding SIGTERM in the same instant
    expect(s.events).toEqual(['drain']);
    s.advance(DUPLICATE_SIGNAL_WINDOW_MS);
    s.target.emit('SIGINT', 'SIGINT');
    await s.done;
    expect(s.events).toEqual(['drain', 'exit 130']);
  });

  it('a database that cannot be closed cleanly makes the exit code 1', async () => {
    const s = setUp({ closeDatabaseFails: true });
    s.target.emit('SIGTERM', 'SIGTERM');
    s.finishDrain({ inFlightAtStart: 0, cutOff: 0, ms: 1 });
    await s.done;
    expect(s.events.at(-1)).toBe('exit 1');
    expect(s.lines.join('\n')).toMatch(/NOT closed cleanly/);
  });
});
