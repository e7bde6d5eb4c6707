import { describe, expect, it, vi } from 'vitest';

describe('startHourlyHousekeeping', () => {
  it('runs a task at once, then hourly, and a second start with the same name adds no second timer', async () => {
    vi.useFakeTimers();
    try {
      vi.resetModules();
      vi.doMock('@/lib/at-rest/keys', () => ({ isSealed: () => false }));
      const { startHourlyHousekeeping, HOUSEKEEPING_INTERVAL_MS } = await import('./housekeeping');
      const task = vi.fn();
      startHourlyHousekeeping('test-task', task);
      startHourlyHousekeeping('test-task', task);
      await vi.advanceTimersByTimeAsync(0);
      expect(task).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
      expect(task).toHaveBeenCalledTimes(2);
    } finally {
      vi.doUnmock('@/lib/at-rest/keys');
      vi.useRealTimers();
    }
  });

  it('never runs a task while the server is sealed, and a failing task does not throw', async () => {
    vi.resetModules();
    vi.doMock('@/lib/at-rest/keys', () => ({ isSealed: () => true }));
    const { startHourlyHousekeeping } = await import('./housekeeping');
    const task = vi.fn();
    startHourlyHousekeeping('sealed-task', task);
    await new Promise((resolve) => setImmediate(resolve));
    expect(task).not.toHaveBeenCalled();
    vi.doMock('@/lib/at-rest/keys', () => ({ isSealed: () => false }));
    vi.resetModules();
    const again = await import('./housekeeping');
    expect(() => again.startHourlyHousekeeping('failing-task', () => Promise.reject(new Error('boom')))).not.toThrow();
    vi.doUnmock('@/lib/at-rest/keys');
  });
});
