import { afterEach, describe, expect, it } from 'vitest';
import { assertStartedByOwnServer, markStartedByOwnServer, wasStartedByOwnServer } from './marker';

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('field-reports.own-http-server')];
});

describe('the own-server marker', () => {
  it('a production process not started by server.ts (next start) refuses, telling the operator to use npm start', () => {
    expect(wasStartedByOwnServer()).toBe(false);
    expect(() => assertStartedByOwnServer('production')).toThrow(/npm start.*next start/);
  });

  it('server.ts marks the process before Next loads, and a copy of the module elsewhere (Next\'s bundle) sees it', async () => {
    markStartedByOwnServer();
    expect(() => assertStartedByOwnServer('production')).not.toThrow();
    // The marker is a registered symbol on globalThis, not module state.
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('field-reports.own-http-server')]).toBe(true);
  });

  it('development (next dev directly) is let through', () => {
    expect(() => assertStartedByOwnServer('development')).not.toThrow();
    expect(() => assertStartedByOwnServer(undefined)).not.toThrow();
  });
});
