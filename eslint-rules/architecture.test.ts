import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The rooms and arrows (docs/architecture.md "Rooms and arrows") are enforced by lint: each case
 * lints a small module as if it stood at `file`, with the project's own eslint.config.mjs, and
 * expects the arrow to be refused (or allowed). Imports name real modules, since the rules resolve
 * them on disk.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The architecture rules a module at `file` breaks, as rule ids. */
async function brokenArrows(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse error').filter((id) => id === 'import/no-restricted-paths' || id.startsWith('architecture/') || id === 'parse error');
}

describe('arrows the lint refuses', () => {
  const cases: [string, string, string][] = [
    ['app → db', 'app/(public)/example.tsx', "import { ROLES } from '@/db/enums';\nexport const roles = ROLES;\n"],
    ['lib → app', 'lib/reports/example.ts', "import { changeLocale } from '@/app/actions';\nexport const action = changeLocale;\n"],
    ['db → lib (not the key)', 'db/example.ts', "import { refuse } from '@/lib/refusal';\nexport const r = refuse;\n"],
    ['db → lib/at-rest beyond the key', 'db/example.ts', "import { openBytes } from '@/lib/at-rest/envelope';\nexport const o = openBytes;\n"],
    ['lib → scripts', 'lib/reports/example.ts', "import { runMigrations } from '@/scripts/migrate';\nexport const r = runMigrations;\n"],
    ['shared UI → a route group', 'app/_components/example.tsx', "import { PublishForm } from '@/app/(editor)/editor/reports/[id]/publish/publish-form';\nexport const form = PublishForm;\n"],
    ['one route group → another', 'app/(partner)/partner/example.tsx', "import { PublishForm } from '@/app/(editor)/editor/reports/[id]/publish/publish-form';\nexport const form = PublishForm;\n"],
    ['lifecycle → a room that uses it', 'lib/lifecycle/example.ts', "import { submitReport } from '@/lib/reports/submit';\nexport const s = submitReport;\n"],
    ['accounts → sign-in', 'lib/accounts/example.ts', "import { requireArea } from '@/lib/auth/session';\nexport const r = requireArea;\n"],
    ['reports → review', 'lib/reports/example.ts', "import { decideReport } from '@/lib/review/decisions';\nexport const d = decideReport;\n"],
    ['photos → publishing', 'lib/photos/example.ts', "import { markPublicDataChanged } from '@/lib/publishing/public-cache';\nexport const m = markPublicDataChanged;\n"],
    ['shared UI → server-only data layer', 'app/_components/example.tsx', "import { requireArea } from '@/lib/auth/session';\nexport const r = requireArea;\n"],
    ['shared UI → a Server Action file', 'app/_components/example.tsx', "import { changeLocale } from '@/app/actions';\nexport const a = changeLocale;\n"],
  ];
  for (const [arrow, file, code] of cases) {
    it(`${arrow} (${file})`, async () => {
      expect(await brokenArrows(file, code)).not.toEqual([]);
    });
  }
});

describe('arrows the lint allows', () => {
  const cases: [string, string, string][] = [
    ['app → lib (pure enums)', 'app/(public)/example.tsx', "import { ROLES } from '@/lib/enums';\nexport const roles = ROLES;\n"],
    ['db → lib/at-rest (the database key)', 'db/example.ts', "import { KeyError } from '@/lib/at-rest/keys';\nexport const k = KeyError;\n"],
    ['accounts → the pure role table', 'lib/accounts/example.ts', "import { AREA_ROLES } from '@/lib/auth/roles';\nexport const a = AREA_ROLES;\n"],
    ['review → reports', 'lib/review/example.ts', "import { submitReport } from '@/lib/reports/submit';\nexport const s = submitReport;\n"],
    ['shared UI → a pure module', 'app/_components/example.tsx', "import { safeCallbackPath } from '@/lib/auth/roles';\nexport const s = safeCallbackPath;\n"],
    ['shared UI → a type of the data layer', 'app/_components/example.tsx', "import type { SessionAccount } from '@/lib/auth/session';\nexport type A = SessionAccount;\n"],
    ['a page → its own group', 'app/(editor)/editor/example.tsx', "import { PublishForm } from '@/app/(editor)/editor/reports/[id]/publish/publish-form';\nexport const form = PublishForm;\n"],
    ['a test reaching across rooms to set up', 'lib/reports/example.test.ts', "import { decideReport } from '@/lib/review/decisions';\nexport const d = decideReport;\n"],
  ];
  for (const [arrow, file, code] of cases) {
    it(`${arrow} (${file})`, async () => {
      expect(await brokenArrows(file, code)).toEqual([]);
    });
  }
});
