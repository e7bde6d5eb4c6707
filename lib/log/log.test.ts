import { describe, expect, it } from 'vitest';
import type { LevelWithSilent } from 'pino';
import { createLogger, logLevelFrom, type Logger } from './index';
import { routeConsoleToLogger, withoutQueryStrings } from './console';
import { logRequestError } from './request-error';
import { actionCallContext } from '../http/action-call-context';
import { requestIdFrom, requestLogger } from './request';

/** A logger writing into an array, one parsed object per line, plus the raw text. */
function capture(level: LevelWithSilent = 'info') {
  const raw: string[] = [];
  const log = createLogger({ level, destination: { write: (line: string) => void raw.push(line) } });
  return { log, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>), text: () => raw.join('') };
}

const SECRETS = {
  password: 'hunter2-correct-horse',
  narrative: 'Narrative: trucks crossed at the ford near Sinuiju',
  ip: '203.0.113.77',
  cookie: 'fr.session=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.secret',
  userAgent: 'MarkerAgent/5.0 (Partner phone)',
  token: 'Qm9vdHN0cmFwVG9rZW5WYWx1ZUZvckludml0YXRpb24x',
  totp: '654321',
};

describe('the logger', () => {
  it('writes one JSON line per call with level (a name), time (ISO 8601) and msg — also for a call with fields only', () => {
    const { log, raw, lines } = capture();
    log.info({ reportId: 12 }, 'report submitted');
    log.warn({ reportId: 13 });
    log.error(new Error('boom'));
    expect(raw.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(lines().map(({ level, msg }) => ({ level, msg }))).toEqual([
      { level: 'info', msg: 'report submitted' },
      { level: 'warn', msg: '' },
      { level: 'error', msg: 'boom' },
    ]);
    for (const line of lines()) expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(lines()[0]).toMatchObject({ reportId: 12 });
  });

  it('never writes a password, a narrative, an IP address, a cookie header, a user agent, a token or a TOTP code — at any depth', () => {
    const { log, text, lines } = capture('trace');
    const request = { headers: { cookie: SECRETS.cookie, 'user-agent': SECRETS.userAgent, 'x-forwarded-for': SECRETS.ip } };
    log.info(
      {
        reportId: 7,
        password: SECRETS.password,
        report: { id: 7, narrative: SECRETS.narrative, place: { detail: { deeper: { safetyNote: SECRETS.narrative } } } },
        ip: SECRETS.ip,
        client: { address: SECRETS.ip, userAgent: SECRETS.userAgent },
        request,
        cookieHeader: SECRETS.cookie,
        list: [{ sessionToken: SECRETS.token }, { code: SECRETS.totp }],
        a: { b: { c: { d: { password: SECRETS.password, remoteAddress: SECRETS.ip } } } },
        form: { values: { title: SECRETS.narrative } },
        headers: new Headers({ cookie: SECRETS.cookie }),
        link: `https://example.org/invite/${SECRETS.token}`,
        buffer: Buffer.from(SECRETS.password),
      },
      'a careless call',
    );
    log.debug({ 'User-Agent': SECRETS.userAgent, X_Real_IP: SECRETS.ip, Authorization: `Bearer ${SECRETS.token}` }, 'headers by other names');
    for (const [what, value] of Object.entries(SECRETS)) expect(text(), what).not.toContain(value);
    // What may be logged still is: ids and kinds.
    expect(lines()[0]).toMatchObject({ reportId: 7, report: { id: 7, narrative: '[redacted]' }, headers: '[redacted]', buffer: '[Buffer]', msg: 'a careless call' });
    expect(request.headers.cookie).toBe(SECRETS.cookie); // the caller's object is not changed
  });

  it('logs an error by name, message, stack, code and digest — not the request, body or headers it carries', () => {
    const { log, text, lines } = capture();
    const error = Object.assign(new Error('database is locked'), {
      code: 'SQLITE_BUSY',
      digest: '2983741',
      request: { headers: { cookie: SECRETS.cookie }, body: SECRETS.narrative },
      ip: SECRETS.ip,
      cause: Object.assign(new TypeError('inner'), { body: SECRETS.password }),
    });
    log.error({ err: error, reportId: 3 }, 'submission failed');
    log.error({ error: { type: 'Error', message: 'already serialised', password: SECRETS.password } }, 'a plain object as error');
    log.error('thrown %s', 'text');
    for (const [what, value] of Object.entries(SECRETS)) expect(text(), what).not.toContain(value);
    expect(lines()[0]!.err).toEqual({ type: 'Error', message: 'database is locked', stack: error.stack, errorCode: 'SQLITE_BUSY', digest: '2983741', cause: { type: 'TypeError', message: 'inner', stack: (error.cause as Error).stack } });
  });

  it('takes its level from LOG_LEVEL, default info, and ignores values that are not levels', () => {
    expect([undefined, '', 'INFO', 'verbose', 'debug', ' warn ', 'silent'].map(logLevelFrom)).toEqual(['info', 'info', 'info', 'info', 'debug', 'warn', 'silent']);
    const { log, lines } = capture('warn');
    log.info('not shown');
    log.warn('shown');
    expect(lines().map((line) => line.msg)).toEqual(['shown']);
  });
});

describe('per-request logging', () => {
  it('reads the request id from x-request-id in any header shape, null-safe, and refuses forged shapes', () => {
    const id = '0b0f8c1e-3a52-4c55-9a4e-0d7f3c2b1a99';
    expect(requestIdFrom(new Headers({ 'x-request-id': id }))).toBe(id);
    expect(requestIdFrom({ 'x-request-id': id })).toBe(id);
    expect(requestIdFrom({ 'x-request-id': [id, 'other'] })).toBe(id);
    for (const headers of [null, undefined, {}, new Headers(), { 'x-request-id': '' }, { 'x-request-id': `${id}\n{"level":"fatal"}` }, { 'x-request-id': 'a b' }, { 'x-request-id': 'x'.repeat(101) }]) {
      expect(requestIdFrom(headers)).toBeNull();
    }
  });

  it('gives every line of a request its request id', () => {
    const { log, lines } = capture();
    const perRequest = requestLogger(new Headers({ 'x-request-id': 'req-1', cookie: SECRETS.cookie }), log);
    perRequest.info({ reportId: 4 }, 'one');
    perRequest.warn('two');
    requestLogger(null, log).info('three');
    expect(lines().map(({ requestId, msg }) => ({ requestId, msg }))).toEqual([
      { requestId: 'req-1', msg: 'one' },
      { requestId: 'req-1', msg: 'two' },
      { requestId: null, msg: 'three' },
    ]);
  });

  it("logs Next's onRequestError as one line: route pattern without query string, method, route type, request id, digest — never headers or the path's token", () => {
    const { log, lines, text } = capture();
    const error = Object.assign(new Error('unexpected'), { digest: '1234567' });
    logRequestError(
      error,
      { path: `/invite/${SECRETS.token}?q=${SECRETS.password}`, method: 'POST', headers: { 'x-request-id': 'req-9', cookie: SECRETS.cookie, 'user-agent': SECRETS.userAgent, 'x-forwarded-for': SECRETS.ip } },
      { routerKind: 'App Router', routePath: '/invite/[token]', routeType: 'action', renderSource: 'react-server-components' },
      log,
    );
    for (const [what, value] of Object.entries(SECRETS)) expect(text(), what).not.toContain(value);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'error', event: 'onRequestError', requestId: 'req-9', method: 'POST', route: '/invite/[token]', routeType: 'action', routerKind: 'App Router', digest: '1234567', err: { type: 'Error', message: 'unexpected' } });
  });
});

describe('console routed through the logger', () => {
  function fakeConsole() {
    const printed: unknown[][] = [];
    const record = (...args: unknown[]) => void printed.push(args);
    return { target: { error: record, warn: record, info: record, log: record, debug: record, trace: record }, printed };
  }

  it('turns what Next and libraries print into JSON lines with the same redaction, printing nothing itself', () => {
    const { log, lines, text } = capture('trace');
    const { target, printed } = fakeConsole();
    routeConsoleToLogger(log as Logger, target);
    routeConsoleToLogger(log as Logger, target); // once only
    const failure = Object.assign(new Error('render failed'), { digest: '99' });
    target.error(' \u001b[31m⨯\u001b[39m', failure);
    target.warn('[next-auth][warn][%s]', 'DEBUG_ENABLED', { headers: { cookie: SECRETS.cookie }, clientIp: SECRETS.ip });
    target.log('Failed to find Server Action "%s"', 'abc');
    target.warn(' \u001b[33m⚠\u001b[39m', 'Invalid Server Actions request.');
    expect(printed).toEqual([]);
    for (const [what, value] of Object.entries(SECRETS)) expect(text(), what).not.toContain(value);
    expect(lines().map(({ level, msg, source }) => ({ level, msg, source }))).toEqual([
      { level: 'error', msg: 'render failed', source: 'console' },
      { level: 'warn', msg: '[next-auth][warn][DEBUG_ENABLED]', source: 'console' },
      { level: 'info', msg: 'Failed to find Server Action "abc"', source: 'console' },
      { level: 'warn', msg: 'Invalid Server Actions request.', source: 'console' },
    ]);
    expect(lines()[0]!.err).toMatchObject({ type: 'Error', message: 'render failed', digest: '99' });
    expect(lines()[1]!.args).toEqual([{ headers: '[redacted]', clientIp: '[redacted]' }]);
  });

  it("drops the query string and fragment of every URL or path in a routed line, keeping the path (Next's 'Request body exceeded' warning)", () => {
    const { log, lines, text } = capture('trace');
    const { target } = fakeConsole();
    routeConsoleToLogger(log as Logger, target);
    target.warn('Request body exceeded 12MB for /api/health?secret-query=partner-k17-narrative');
    target.error('Failed to fetch %s for %s', 'https://reports.example.org/partner/reports/7?narrative=trucks%20crossed#note', 'http://localhost:3000?token=abc');
    expect(text()).not.toMatch(/secret-query|partner-k17|trucks|narrative=|token=|#note/);
    expect(lines().map(({ msg }) => msg)).toEqual(['Request body exceeded 12MB for /api/health', 'Failed to fetch https://reports.example.org/partner/reports/7 for http://localhost:3000']);
  });

  it('leaves text without a URL alone', () => {
    for (const plain of ['Invalid Server Actions request.', 'What? No.', 'Failed to find Server Action "abc". Read more: https://nextjs.org/docs/messages/failed-to-find-server-action', '12/05 at 10:00']) {
      expect(withoutQueryStrings(plain)).toBe(plain);
    }
  });
});

describe('attacker text in messages and errors (issue 16, the attacker retest)', () => {
  it("cuts query strings and IP addresses from an error's message, stack and cause chain, and from msg", () => {
    const { log, text, lines } = capture();
    const leak = new Error('Invalid URL: € https://evil.example/x?token=LEAKQ3&pw=hunter2', {
      cause: new Error('Next-Action https://evil.example/x?token=LEAKQ4 User-Agent Mozilla 203.0.113.9 and 2001:db8::7 and ::ffff:198.51.100.1', { cause: 'from 192.0.2.44 at /x?x=LEAKQ5' }),
    });
    log.error({ err: leak }, 'callback failed for /api/auth/signin?callbackUrl=LEAKQ6 from 203.0.113.9');
    log.error(leak);
    log.warn('request from %s', '198.51.100.23');
    const out = text();
    for (const secret of ['LEAKQ3', 'LEAKQ4', 'LEAKQ5', 'LEAKQ6', 'hunter2', '203.0.113.9', '2001:db8::7', '198.51.100', '192.0.2.44']) expect(out, secret).not.toContain(secret);
    const [first, second, third] = lines() as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(first.msg).toBe('callback failed for /api/auth/signin from [address]');
    expect((first.err as { message: string }).message).toBe('Invalid URL: € https://evil.example/x');
    expect(((first.err as { cause: { message: string } }).cause).message).toBe('Next-Action https://evil.example/x User-Agent Mozilla [address] and [address] and [address]');
    expect((first.err as { stack: string }).stack).toMatch(/^Error: Invalid URL: € https:\/\/evil\.example\/x\n\s+at /);
    expect(second.msg).toBe('Invalid URL: € https://evil.example/x');
    expect(third.msg).toBe('request from [address]');
  });

  it('caps a message at 500 characters and a stack at 4,000, however long the text was', () => {
    const { log, lines } = capture();
    const huge = new Error(`x${'A'.repeat(500_000)}`);
    log.error({ err: huge }, 'y'.repeat(10_000));
    const [line] = lines() as [Record<string, unknown>];
    expect((line.msg as string).length).toBeLessThanOrEqual(501);
    expect((line.err as { message: string }).message.length).toBeLessThanOrEqual(501);
    expect((line.err as { stack: string }).stack.length).toBeLessThanOrEqual(4_001);
  });

  it('keeps times, versions, hashes and source positions that only look like addresses', () => {
    const { log, lines } = capture();
    log.info('at 20:01:05 version 1.2.3 hash deadbeef:cafe in /app/file.js:12:34 and Foo::bar');
    expect(lines()[0]?.msg).toBe('at 20:01:05 version 1.2.3 hash deadbeef:cafe in /app/file.js:12:34 and Foo::bar');
  });
});

describe('a malformed Server Action call (no action started) is one short warn line', () => {
  it("logs React's decoder error at warn without its stack, once: Next's console.error of it is left out, and a started action's error stays an error", () => {
    const { log, lines } = capture();
    const printed: unknown[][] = [];
    const record = (...args: unknown[]) => void printed.push(args);
    const target = { error: record, warn: record, info: record, log: record, debug: record, trace: record };
    routeConsoleToLogger(log as Logger, target);
    const decoderError = new Error('Connection closed.');
    const request = { path: '/sign-in', method: 'POST', headers: { 'x-request-id': 'req-5' } };
    const route = { routerKind: 'App Router', routePath: '/sign-in', routeType: 'action' };
    actionCallContext.run({ actionCall: true, actionStarted: false }, () => {
      target.error(decoderError);
      logRequestError(decoderError, request, route, log);
    });
    actionCallContext.run({ actionCall: true, actionStarted: true }, () => logRequestError(new Error('bug of ours'), request, route, log));
    const all = lines();
    expect(all.map(({ level, event }) => ({ level, event }))).toEqual([
      { level: 'warn', event: 'malformedActionCall' },
      { level: 'error', event: 'onRequestError' },
    ]);
    expect(all[0]).toMatchObject({ requestId: 'req-5', route: '/sign-in', err: { type: 'Error', message: 'Connection closed.' } });
    expect((all[0]!.err as { stack?: string }).stack).toBeUndefined();
  });
});
