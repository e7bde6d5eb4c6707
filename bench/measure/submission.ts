/**
 * (1) Report submission as a signed-in partner (full validation, 4 vehicle and 4 goods rows)
 * against the bare route handler in the same server (POST BARE_HANDLER_PATH, a route only the
 * benchmark's build has: bench/server.ts), 50 connections: throughput ratio, p50, p99. (5) The WAL file's size after many submissions through the same path.
 *
 * How a report is posted: the way the report form posts without JavaScript (issue 11) — the
 * rendered /partner/reports/new form's hidden fields (Next.js's `$ACTION_…` fields that name the
 * Server Action, and any others) plus the report's fields in lib/reports/form-data.ts naming and
 * `intent=submit`, as multipart/form-data to the form's action URL. Each post carries its own
 * client id; success is counted in the database (reports whose client id carries this run's tag),
 * not by status code, since the action may answer 303 or re-render the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { browserHeaders, describeStatus, unavailable, type BenchContext } from '../context';
import { countBenchSubmissions, DATABASE_FILE } from '../generate';
import { formsOf } from '../html';
import { runLoad, type LoadRun } from '../load';
import { BUDGETS } from '../budgets';
import { runOpenLoop } from '../open-loop';
import type { LoadFigures, SubmissionResult, Unavailable, WalResult } from '../results';
import { BARE_HANDLER_PATH, type BenchServer } from '../server';
import { ratio } from '../stats';
import { benchClientId, benchReportFields, multipartTemplate } from '../submission-body';
import { FORM_PATH } from './bundle';

export type PreparedSubmission = {
  method: 'server-action-form';
  path: string;
  head: Buffer;
  tail: Buffer;
  contentType: string;
  /** Client ids handed out so far (shared by every run against the same server). */
  counter: { next: number };
};

/** Read the report form and build the post; or say why submission cannot be measured. */
export async function prepareSubmission(context: BenchContext): Promise<PreparedSubmission | Unavailable> {
  const server = context.servers.large;
  const response = await fetch(server.origin + FORM_PATH, { headers: browserHeaders(server, context.cookies.large.partner), redirect: 'manual' });
  const html = await response.text();
  if (response.status !== 200) return unavailable(describeStatus(FORM_PATH, response.status, response.headers.get('location')));
  const form = formsOf(html).find((f) => f.controlNames.has('clientId') && f.controlNames.has('title'));
  if (!form) return unavailable(`${FORM_PATH} has no <form> with clientId and title fields`);

  const action = form.attrs.get('action') ?? '';
  const postPath = action === '' || action.startsWith('javascript:') ? FORM_PATH : new URL(action, server.origin + FORM_PATH).pathname + new URL(action, server.origin + FORM_PATH).search;
  const reportFields = benchReportFields();
  const ours = new Set(['clientId', 'intent', ...reportFields.map(([name]) => name)]);
  const fields: [string, string][] = [
    ...form.hidden.filter(([name]) => !ours.has(name)),
    ['clientId', ''],
    ...reportFields,
  ];
  if (form.controlNames.has('intent')) fields.push(['intent', 'submit']);
  const boundary = `----FieldReportsBench${context.runTag}`;
  const template = multipartTemplate(fields, boundary);
  return { method: 'server-action-form', path: postPath, ...template, counter: { next: 1 } };
}

/** The next post's body: the template with a fresh client id (unique across every server of the run). */
export function body(prepared: PreparedSubmission, runTag: string): Buffer {
  const id = benchClientId(runTag, prepared.counter.next);
  prepared.counter.next += 1;
  return Buffer.concat([prepared.head, Buffer.from(id), prepared.tail]);
}

function figures(run: LoadRun): LoadFigures {
  const { samples: _samples, ...rest } = run;
  return rest;
}

/** Headers of a same-origin form post to `server` (its own origin: the proxy refuses cross-site posts). */
export function postHeaders(server: BenchServer, prepared: PreparedSubmission, cookie: string | null): Record<string, string> {
  return {
    ...browserHeaders(server, cookie),
    'content-type': prepared.contentType,
    origin: server.origin,
    'sec-fetch-site': 'same-origin',
    accept: 'text/html',
  };
}

/**
 * The offered rate of the open-loop run that follows budget 1a's closed-loop runs, in requests per
 * second from all 50 connections together: 100 submissions a second (8.6 million a day) is far
 * above any newsroom's partners, yet well below this machine's capacity, so the figure shows the
 * latency a partner meets under heavy but not saturating load. Budget 1b (issue 20) is stated at
 * this rate (bench/budgets.ts BUDGETS.submissionOfferedRate).
 */
export const OFFERED_RATE = BUDGETS.submissionOfferedRate;

/**
 * Post `prepared` to its path under load (each request a fresh client id), on the large database's
 * server unless `target` names another server and its partner's cookie.
 */
export function submitLoad(
  context: BenchContext,
  prepared: PreparedSubmission,
  options: { connections: number; seconds?: number; amount?: number; maxSeconds?: number; onTick?: () => void },
  target: { server: BenchServer; cookie: string } = { server: context.servers.large, cookie: context.cookies.large.partner },
) {
  return runLoad({
    origin: target.server.origin,
    connections: options.connections,
    seconds: options.seconds,
    amount: options.amount,
    maxSeconds: options.maxSeconds,
    onTick: options.onTick,
    timeoutSeconds: 30,
    headers: postHeaders(target.server, prepared, target.cookie),
    requests: [{ method: 'POST', path: prepared.path, setupRequest: (request) => ({ ...request, body: body(prepared, context.runTag) }) }],
  });
}

export async function measureSubmission(context: BenchContext, prepared: PreparedSubmission | Unavailable): Promise<SubmissionResult> {
  if (!('path' in prepared)) return prepared;
  const server = context.servers.large;
  const before = countBenchSubmissions(server.database, context.runTag);

  // One probe first: does a post create a report at all?
  const started = performance.now();
  const probe = await fetch(server.origin + prepared.path, {
    method: 'POST',
    headers: postHeaders(server, prepared, context.cookies.large.partner),
    body: new Uint8Array(body(prepared, context.runTag)),
    redirect: 'manual',
  });
  const probeText = await probe.text();
  const probeMs = performance.now() - started;
  const afterProbe = countBenchSubmissions(server.database, context.runTag);
  if (afterProbe !== before + 1) {
    const errorHint = /class="error-summary"[\s\S]{0,600}/.exec(probeText)?.[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300);
    const location = probe.headers.get('location');
    return unavailable(`a probe submission to ${prepared.path} answered ${probe.status}${location ? ` (Location: ${location})` : ''} and created no report${errorHint ? `: ${errorHint}` : ''}`);
  }

  // The baseline must be there too: a build made before the bare handler moved out of
  // /api/health (reused with --no-build) answers 404 and would make a meaningless ratio. The probe
  // sends the load's own body: the headers say multipart, so any other body is refused as
  // malformed (400) by the request guard before it reaches the handler.
  const bare = await fetch(server.origin + BARE_HANDLER_PATH, { method: 'POST', headers: postHeaders(server, prepared, context.cookies.large.partner), body: new Uint8Array(body(prepared, context.runTag)), redirect: 'manual' });
  const bareText = await bare.text();
  if (bare.status !== 200 || bareText !== 'ok') {
    return unavailable(`the bare handler POST ${BARE_HANDLER_PATH} answered ${bare.status}, not 200 ok: this build lacks it (rebuild without --no-build; bench/server.ts buildApp)`);
  }

  const { loadConnections: connections, loadSeconds: seconds } = context.options;
  const health = (): Promise<LoadRun> =>
    runLoad({
      origin: server.origin,
      connections,
      seconds,
      timeoutSeconds: 30,
      headers: postHeaders(server, prepared, context.cookies.large.partner),
      requests: [{ method: 'POST', path: BARE_HANDLER_PATH, setupRequest: (request) => ({ ...request, body: body(prepared, context.runTag) }) }],
    });
  context.log(`submission: bare handler ${seconds} s at ${connections} connections`);
  const health1 = await health();
  context.log(`submission: report form post ${seconds} s at ${connections} connections`);
  const beforeLoad = countBenchSubmissions(server.database, context.runTag);
  const submit = await submitLoad(context, prepared, { connections, seconds });
  const created = countBenchSubmissions(server.database, context.runTag) - beforeLoad;
  context.log(`submission: bare handler again ${seconds} s`);
  const health2 = await health();
  context.log(`submission: both again at an offered ${OFFERED_RATE} req/s (open loop), ${seconds} s each`);
  // Each open-loop run starts from a collected heap in this process (run with --expose-gc, as
  // `npm run bench` is): the closed-loop runs before leave autocannon's garbage behind, and a
  // collection of it mid-run would delay the scheduled posts and be counted as the server's.
  const openLoop = (path: string) => {
    (globalThis as { gc?: () => void }).gc?.();
    return runOpenLoop({
      origin: server.origin,
      request: { method: 'POST', path, headers: postHeaders(server, prepared, context.cookies.large.partner), body: () => body(prepared, context.runTag) },
      ratePerSecond: OFFERED_RATE,
      seconds,
      connections,
    });
  };
  const offeredHealth = await openLoop(BARE_HANDLER_PATH);
  const beforeOffered = countBenchSubmissions(server.database, context.runTag);
  const offeredSubmit = await openLoop(prepared.path);
  const offeredCreated = countBenchSubmissions(server.database, context.runTag) - beforeOffered;
  const healthRps = (health1.requestsPerSecond + health2.requestsPerSecond) / 2;
  const healthSamples = [...health1.samples, ...health2.samples];
  const healthFigures: LoadFigures = {
    ...figures(health1),
    requestsPerSecond: healthRps,
    responses: health1.responses + health2.responses,
    seconds: health1.seconds + health2.seconds,
    p50: healthSamples.length ? [...healthSamples].sort((a, b) => a - b)[Math.floor(healthSamples.length / 2)]! : Number.NaN,
  };
  return {
    available: true,
    method: prepared.method,
    path: prepared.path,
    submit: figures(submit),
    health: healthFigures,
    throughputRatio: ratio(submit.requestsPerSecond, healthRps),
    // Little's law: with every connection always waiting, mean latency = connections ÷ throughput.
    closedLoopFloorMs: (connections / healthRps) * 1000,
    offered: {
      ratePerSecond: OFFERED_RATE,
      submit: offeredSubmit,
      health: offeredHealth,
      acceptedShare: offeredSubmit.responses === 0 ? 0 : Math.min(1, offeredCreated / offeredSubmit.responses),
    },
    // Posts still in flight when the run stopped may have created reports too, hence the cap.
    acceptedShare: submit.responses === 0 ? 0 : Math.min(1, created / submit.responses),
    created,
    probe: { status: probe.status, location: probe.headers.get('location'), ms: probeMs },
  };
}

function walSize(dataDir: string): number {
  try {
    return fs.statSync(path.join(dataDir, `${DATABASE_FILE}-wal`)).size;
  } catch {
    return 0;
  }
}

/**
 * Submit `walSubmissions` reports (10 connections, bounded by time) and stat the WAL file every
 * second and at the end.
 */
export async function measureWal(context: BenchContext, prepared: PreparedSubmission | Unavailable): Promise<WalResult> {
  if (!('path' in prepared)) return prepared;
  const server = context.servers.large;
  const amount = context.options.walSubmissions;
  const before = countBenchSubmissions(server.database, context.runTag);
  const walAtStart = walSize(server.dataDir);
  let walMax = walAtStart;
  const sample = () => {
    walMax = Math.max(walMax, walSize(server.dataDir));
  };
  const maxSeconds = context.options.quick ? 40 : 1500;
  context.log(`wal: ${amount.toLocaleString('en')} submissions (≤ ${maxSeconds} s), WAL at start ${(walAtStart / 1048576).toFixed(1)} MB`);
  const started = performance.now();
  const run = await submitLoad(context, prepared, { connections: 10, amount, maxSeconds, onTick: sample });
  sample();
  const walFinal = walSize(server.dataDir);
  const accepted = countBenchSubmissions(server.database, context.runTag) - before;
  const seconds = (performance.now() - started) / 1000;
  const notes = [`WAL at start of this phase ${(walAtStart / 1048576).toFixed(1)} MB (after the load of (1))`];
  if (run.responses < amount) notes.push(`stopped at the ${maxSeconds} s bound after ${run.responses} submissions`);
  if (context.options.walSubmissions < 20_000) notes.push(`${amount.toLocaleString('en')} submissions, not the issue's 20,000 (--quick or --wal-submissions)`);
  return { available: true, submissions: run.responses, accepted, walBytesFinal: walFinal, walBytesMax: walMax, seconds, note: notes.join('; ') };
}
