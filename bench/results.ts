import type { BrowserRequests } from './browser';
/**
 * Shapes of the benchmark's results (bench/results/<timestamp>.json, latest.json, bench/last-run.json).
 * Times are milliseconds, sizes bytes, rates requests per second. A measurement whose route does
 * not exist (yet) is `{ available: false, reason }` rather than a number.
 */

export type Unavailable = { available: false; reason: string };

/** One autocannon run, reduced to what the report needs. */
export type LoadFigures = {
  /** Completed requests per second (total responses ÷ wall time). */
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Responses received (any status). */
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Status code → count. */
  statusCodes: Record<string, number>;
  connections: number;
  seconds: number;
  /** Open loop only: the longest pause of the load generator's own event loop (ms) during the run. */
  clientLoopDelayMaxMs?: number;
};

export type SubmissionResult =
  | Unavailable
  | {
      available: true;
      /** How the report is posted: the no-script Server Action form post, or a JSON route handler. */
      method: 'server-action-form' | 'json-route';
      path: string;
      submit: LoadFigures;
      /** The bare route handler (bench/server.ts BARE_HANDLER_PATH; before issue 17, POST /api/health), posted the same body at the same concurrency. */
      health: LoadFigures;
      /** submit ÷ health requests per second. */
      throughputRatio: number;
      /**
       * The bare handler's mean latency at these connections in a closed loop (connections ÷ its
       * requests per second, Little's law), in ms: no post to this server can average less.
       */
      closedLoopFloorMs: number;
      /**
       * Both posts again at a fixed offered rate from the same connections (open loop): budget 1b
       * (issue 20). `acceptedShare`: reports the offered posts created (counted in the database) ÷
       * posts answered.
       */
      offered: { ratePerSecond: number; submit: LoadFigures; health: LoadFigures; acceptedShare: number };
      /** Reports the submissions created (counted in the database) ÷ submissions sent. */
      acceptedShare: number;
      /** Reports the load run created (counted in the database). */
      created: number;
      /** What a single probe submission answered (status and Location), for the record. */
      probe: { status: number; location: string | null; ms: number };
    };

/** Median latency of one URL at the large and the small database. */
export type LatencyPair = {
  /** Path on the large database's server. */
  path: string;
  /** Path on the small database's server (differs for a deep queue page: its cursor). */
  smallPath: string;
  large: { p50: number; p90: number; samples: number; firstMs: number; bytes: number };
  small: { p50: number; p90: number; samples: number; firstMs: number; bytes: number };
  /** large p50 ÷ small p50. */
  ratio: number;
};

export type QueueResult =
  | Unavailable
  | {
      available: true;
      firstPage: LatencyPair;
      /** `depth` = pages the "next" link was followed (the same in both databases). */
      deepPage: (LatencyPair & { depth: number }) | Unavailable;
      /** The first page of a text search (issue 19), `term` the words searched. */
      search: (LatencyPair & { term: string }) | Unavailable;
    };

export type PublicResult = {
  stats: (LatencyPair & { available: true }) | Unavailable;
  exportJson: (LatencyPair & { available: true }) | Unavailable;
};

export type PageScripts = {
  path: string;
  status: number;
  /**
   * External <script src> files: URL path, raw bytes, gzip (level 9) bytes, and which libraries the
   * minified file most likely holds (by marker strings; a hint, not a source map).
   */
  scripts: { src: string; bytes: number; gzipBytes: number; hints: string[] }[];
  gzipTotal: number;
  /** Inline <script> bodies (the RSC payload and bootstrap), gzip bytes, reported apart. */
  inlineGzipBytes: number;
  htmlGzipBytes: number;
};

export type BundleResult =
  | Unavailable
  | {
      available: true;
      formPage: PageScripts;
      smallestPage: PageScripts;
      /** Every page measured for "smallest", with its script total. */
      candidates: { path: string; gzipTotal: number }[];
      /** formPage.gzipTotal ÷ smallestPage.gzipTotal. */
      ratio: number;
      /** Absolute URLs to another origin in src/href(link)/action/srcset attributes of the HTML. */
      otherOriginInHtml: string[];
      /** Requests to another origin while Chromium loaded the page (null when Chromium was unavailable). */
      otherOriginInBrowser: string[] | null;
      browserNote: string;
      /** Script bytes Chromium actually fetched (decoded), as a cross-check. */
      browserScriptRequests: number | null;
      /**
       * The partner's service worker (SERVICE_WORKER_PATH, fetched signed in): its own size, raw and
       * gzip -9 (not part of any page's first load: the browser fetches it after the page, once per
       * update check); null when it did not answer 200, with the status in `note`.
       */
      serviceWorker: { path: string; bytes: number; gzipBytes: number } | null;
      serviceWorkerNote: string;
    };

/** One page of (7): requests per second straight from the app and through the reference nginx. */
export type CachedPage = {
  label: 'report' | 'stats';
  path: string;
  direct: LoadFigures;
  cached: LoadFigures;
  /** cached ÷ direct requests per second. */
  ratio: number;
  /** nginx's X-Cache-Status after warming and after the cached run (HIT expected). */
  cacheStatus: string;
};

/** (7c) Seconds from a retraction's commit to nginx serving the notice. */
export type RetractionDelay = {
  available: true;
  path: string;
  seconds: number;
  polls: number;
  /** X-Cache-Status of the page just before the retraction (HIT: the worst case). */
  cacheStatusBefore: string;
  /** The app itself showed the notice at once. */
  directShowsNotice: boolean;
};

/** (7d) The scripts of one public page. */
export type PublicPageJs = { path: string; status: number; scriptElements: number; externalScripts: number; inlineScripts: number; gzipBytes: number };

/** The border maps of one public page (budget 7e): how many, and the largest one's size, raw and gzipped (level 9). */
export type PublicMap = { path: string; status: number; maps: number; bytes: number; gzipBytes: number };

export type CacheResult =
  | Unavailable
  | {
      available: true;
      nginx: { version: string; installed: boolean; port: number };
      /** The load tool of 7a/7b: 'wrk', or 'autocannon (why not wrk)'. */
      loadTool: string;
      connections: number;
      pages: CachedPage[];
      retraction: RetractionDelay | Unavailable;
      publicJs: PublicPageJs[];
      /** (7e) The maps of /reports, /reports/<id> and /stats. */
      publicMaps: PublicMap[];
      /** (7f) What Chromium asked for while loading the public pages, anonymous (bench/browser.ts). */
      publicRequests: BrowserRequests;
    };

export type WalResult =
  | Unavailable
  | {
      available: true;
      submissions: number;
      accepted: number;
      /** WAL size after the last submission (stat of DATA_DIR/field-reports.db-wal). */
      walBytesFinal: number;
      /** Largest WAL size seen while submitting (sampled every second). */
      walBytesMax: number;
      seconds: number;
      note: string;
    };

/**
 * One figure measured on the encrypted database's server and on its plain-text twin's, round by
 * round (each round one run on each, the order alternating), so drift in the shared machine's
 * load falls on both alike.
 */
export type EncryptionComparison = {
  path: string;
  /** 'req/s': completed requests per second (higher is faster); 'ms': median latency. */
  unit: 'req/s' | 'ms';
  /** Per round, in `unit`. */
  encrypted: number[];
  plain: number[];
  /**
   * Per round: how much slower the encrypted server was, in %, by time per request —
   * (encrypted ms ÷ plain ms − 1) × 100, or (plain req/s ÷ encrypted req/s − 1) × 100. Negative
   * when the encrypted one happened to be faster.
   */
  roundCostPercent: number[];
  /** Median of `roundCostPercent`: the figure held against the budget. */
  costPercent: number;
};

/** The submission comparison also counts the reports each side created (refusals are fast). */
export type EncryptionSubmissionComparison = EncryptionComparison & {
  connections: number;
  /** Reports created ÷ posts answered, over all rounds, per side. */
  acceptedShare: { encrypted: number; plain: number };
};

export type EncryptionResult =
  | Unavailable
  | {
      available: true;
      rounds: number;
      /** Seconds per submission run and per latency run (each side, each round). */
      loadSeconds: number;
      latencySeconds: number;
      /** The machine's 1-minute load average when the comparison started and ended (2 CPUs shared). */
      loadAverage1m: { start: number; end: number };
      /** (a) the no-script report post of (1), closed loop. */
      submission: EncryptionSubmissionComparison | Unavailable;
      /** (b) the moderation queue's first page (1 connection). */
      queue: EncryptionComparison | Unavailable;
      /** (c) /stats, anonymous (1 connection). */
      stats: EncryptionComparison | Unavailable;
    };

/** 'INFO': a figure shown beside the budgets, with no budget of its own (never a failure). */
export type BudgetStatus = 'PASS' | 'FAIL' | 'N/A' | 'INFO';

export type BudgetRow = {
  id: string;
  label: string;
  value: number | null;
  limit: string;
  display: string;
  status: BudgetStatus;
  note: string;
};

/** One SQL statement a route ran, with its share of the time and SQLite's plan. */
export type TracedStatement = {
  sql: string;
  /** Bound parameters of the first call (strings cut at 200 characters), to re-run it. */
  params: unknown[];
  calls: number;
  totalMs: number;
  rows: number;
  plan: string[];
  /** Plan lines that scan a whole table or index, or build a temporary b-tree. */
  warnings: string[];
};

export type RouteDiagnosis = {
  /** Which measurement the route belongs to: queue-first, queue-deep, stats, export, form-page, submission. */
  label: string;
  method: 'GET' | 'POST';
  path: string;
  database: 'large' | 'small';
  requestMs: number;
  sqlMs: number;
  statements: TracedStatement[];
};

export type BenchResults = {
  meta: {
    startedAt: string;
    finishedAt: string;
    seconds: number;
    buildSeconds: number | null;
    quick: boolean;
    node: string;
    cpus: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    gitCommit: string | null;
    distDir: string;
    notes: string[];
  };
  databases: {
    large: DatabaseSummary;
    small: DatabaseSummary;
    /** The large database generated again without a key (null when the comparison was skipped). */
    plain: DatabaseSummary | null;
  };
  submission: SubmissionResult | Unavailable;
  queue: QueueResult;
  public: PublicResult;
  bundle: BundleResult;
  wal: WalResult;
  encryption: EncryptionResult;
  /** (7) issue 20: the public site through the reference nginx. */
  cache: CacheResult;
  budgets: BudgetRow[];
  diagnosis: RouteDiagnosis[];
};

export type DatabaseSummary = {
  reports: number;
  byStatus: Record<string, number>;
  publications: number;
  rows: Record<string, number>;
  fileBytes: number;
  generateSeconds: number;
  /** Whether the file is encrypted (every database but the comparison's plain twin). */
  encrypted: boolean;
};
