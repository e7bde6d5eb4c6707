/**
 * The official-statistics import format and its managed lists (issue 21;
 * docs/official-trade.md "The CSV format"). Pure: safe in any room and in client components.
 *
 * The flows, authorities and units are lists in code, not admin-edited reference lists, because the
 * consistency rules depend on what each flow means (docs/decisions/0013-official-trade-figures.md):
 * `total` is the sum of the two directed flows. Adding a flow or an authority is a code change
 * with its rule.
 */

/**
 * Trade flows, as the sample of public reporting names them (db/seed-data/official-trade-2018-06.json):
 * North Korea's exports to China, North Korea's imports from China (= China's exports to North
 * Korea), and their total.
 */
export const OFFICIAL_FLOWS = ['exports_from_kp_to_cn', 'imports_to_kp_from_cn', 'total'] as const;
export type OfficialFlow = (typeof OFFICIAL_FLOWS)[number];

/** The flows whose sum is `total` (the sum rule and the part-larger-than-total rule). */
export const TOTAL_PARTS: readonly OfficialFlow[] = ['exports_from_kp_to_cn', 'imports_to_kp_from_cn'];

/**
 * Reporting authorities. China's customs is the one that publishes monthly China–North Korea
 * trade; another authority is added here with its English and Korean name.
 */
export const OFFICIAL_AUTHORITIES = ['cn_customs'] as const;
export type OfficialAuthority = (typeof OFFICIAL_AUTHORITIES)[number];

/** Names of the authorities (public pages and exports). */
export const AUTHORITY_NAMES: Record<OfficialAuthority, { en: string; ko: string }> = {
  cn_customs: { en: "General Administration of Customs of the People's Republic of China", ko: '중국 해관총서' },
};

/**
 * Units of a value: US dollars, thousands or millions of them. `exponent`: the power of ten of one
 * unit in dollars. Every value is compared in micro-dollars (lib/official/decimal.ts), exactly.
 */
export const OFFICIAL_UNITS = ['usd', 'usd_thousand', 'usd_million'] as const;
export type OfficialUnit = (typeof OFFICIAL_UNITS)[number];
export const UNIT_EXPONENT: Record<OfficialUnit, number> = { usd: 0, usd_thousand: 3, usd_million: 6 };

/** Spellings of a unit accepted in a file besides its code (compared lower-case, spaces single). */
export const UNIT_ALIASES: Record<string, OfficialUnit> = {
  usd: 'usd',
  'us$': 'usd',
  'thousand usd': 'usd_thousand',
  'usd thousand': 'usd_thousand',
  'million usd': 'usd_million',
  'usd million': 'usd_million',
};

/** The columns of the format, in the order a template lists them; `yoy_change_pct` and `source_url` may be empty. */
export const OFFICIAL_COLUMNS = ['month', 'authority', 'flow', 'value', 'unit', 'yoy_change_pct', 'source_name', 'source_url'] as const;
export type OfficialColumn = (typeof OFFICIAL_COLUMNS)[number];

/** Columns a file must have (`yoy_change_pct` may be left out entirely). */
export const REQUIRED_COLUMNS: readonly OfficialColumn[] = ['month', 'authority', 'flow', 'value', 'unit', 'source_name', 'source_url'];

/**
 * Korean column names accepted as aliases of the English ones (a Korean newsroom's spreadsheet),
 * compared after trimming, NFC and removing spaces. docs/official-trade.md lists them.
 */
export const KOREAN_COLUMN_ALIASES: Record<string, OfficialColumn> = {
  월: 'month',
  기준월: 'month',
  보고기관: 'authority',
  발표기관: 'authority',
  흐름: 'flow',
  구분: 'flow',
  금액: 'value',
  값: 'value',
  단위: 'unit',
  전년동월대비: 'yoy_change_pct',
  '전년동월대비(%)': 'yoy_change_pct',
  '전년동월대비증감률(%)': 'yoy_change_pct',
  출처: 'source_name',
  출처명: 'source_name',
  출처url: 'source_url',
  출처주소: 'source_url',
};

/**
 * Limits. A file of monthly figures is a few kilobytes (decades × 3 flows ≈ 1,000 rows ≈ 150 KB);
 * 1 MiB is refused from the upload's size before a byte is decoded.
 */
export const OFFICIAL_LIMITS = {
  fileBytes: 1024 * 1024,
  rows: 5_000,
  sourceNameChars: 300,
  sourceUrlChars: 1_000,
  /** Digits after the decimal point of a value or a change (values stay exact in micro-dollars). */
  decimals: 6,
  /** A value's digits before the point (10^15 of a unit is far beyond any trade figure). */
  integerDigits: 15,
  /** The largest year-on-year change accepted, in percent (a 11-fold rise; see checks.ts). */
  yoyMaxPct: 1000,
  /** The smallest: −100 % (the flow stopped). */
  yoyMinPct: -100,
  /** The first month accepted. */
  firstMonth: '1990-01',
  /** How long a previewed upload waits for its Confirm, in milliseconds. */
  pendingMs: 30 * 60 * 1000,
} as const;

/** English and Korean names of the flows (admin pages, /stats, exports). */
export const FLOW_NAMES: Record<OfficialFlow, { en: string; ko: string }> = {
  exports_from_kp_to_cn: { en: 'North Korea’s exports to China', ko: '북한의 대중국 수출' },
  imports_to_kp_from_cn: { en: 'North Korea’s imports from China', ko: '북한의 대중국 수입' },
  total: { en: 'Total trade between China and North Korea', ko: '북중 무역 총액' },
};

/** Whether `value` is one of the flows. */
export function isOfficialFlow(value: string): value is OfficialFlow {
  return (OFFICIAL_FLOWS as readonly string[]).includes(value);
}

/** Whether `value` is one of the authorities. */
export function isOfficialAuthority(value: string): value is OfficialAuthority {
  return (OFFICIAL_AUTHORITIES as readonly string[]).includes(value);
}

/** The month twelve months before `month` ('YYYY-MM' in and out). */
export function monthYearBefore(month: string): string {
  return `${String(Number(month.slice(0, 4)) - 1).padStart(4, '0')}${month.slice(4)}`;
}

/** The month twelve months after `month` ('YYYY-MM' in and out). */
export function monthYearAfter(month: string): string {
  return `${String(Number(month.slice(0, 4)) + 1).padStart(4, '0')}${month.slice(4)}`;
}
