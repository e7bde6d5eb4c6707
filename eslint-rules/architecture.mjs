/**
 * The rooms of the code and the arrows allowed between them (docs/architecture.md "Rooms and
 * arrows"), as ESLint rules, so a wrong import fails `npm run lint` (issue 17).
 *
 * - `import/no-restricted-paths` zones (eslint-plugin-import, which eslint-config-next already
 *   registers with the TypeScript resolver, so `@/…` paths resolve): app → db, lib → app,
 *   db → lib (except lib/at-rest, the key that opens the database), the lib rooms' one-way arrows,
 *   one audience's route group → another's.
 * Production code only: tests may reach across rooms to set up and to exercise a route
 * (eslint.config.mjs leaves out *.test.ts and lib/testing/).
 * - `architecture/shared-ui-no-data-layer` (below): the shared UI kit, app/_components, takes
 *   props and never imports a module of the server-only data layer (a file whose first statement
 *   is `import 'server-only'`), nor a 'use server' file.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const GROUPS = ['(public)', '(auth)', '(partner)', '(editor)', '(admin)'];

/** Zones for import/no-restricted-paths: `target` may not import from `from`. */
export const ARCHITECTURE_ZONES = [
  { target: './app', from: './db', message: 'Pages and UI reach data through lib/ only: move the enum or query into lib (docs/architecture.md "Rooms and arrows").' },
  { target: './lib', from: './app', message: 'lib/ never imports app/: pass what it needs as arguments (docs/architecture.md "Rooms and arrows").' },
  { target: './db', from: './lib', except: ['./at-rest/keys.ts'], message: 'db/ knows no rules: only lib/at-rest/keys.ts (the database key) may be imported from db/ (docs/architecture.md "Rooms and arrows").' },
  { target: ['./app', './lib', './db'], from: './scripts', message: 'Nothing in the app imports the command-line tools in scripts/ (docs/architecture.md "Rooms and arrows").' },
  { target: './app/_components', from: GROUPS.map((group) => `./app/${group}`), message: 'The shared UI kit never imports a route group: it takes props (docs/architecture.md "Rooms and arrows").' },
  // Arrows one way between lib rooms (docs/architecture.md "Rooms and arrows"): the lifecycle is
  // imported by the rooms that use it, never the reverse; sign-in uses accounts, never the reverse
  // (but for the pure role table); review reads reports; publishing serves photos.
  { target: './lib/lifecycle', from: ['./lib/reports', './lib/review', './lib/publishing', './lib/photos', './lib/messages'], message: 'lib/lifecycle is imported by the rooms that use the report lifecycle, never the reverse (docs/architecture.md "Rooms and arrows").' },
  { target: './lib/accounts', from: './lib/auth', except: ['./roles.ts'], message: 'Sign-in (lib/auth) uses accounts (lib/accounts), never the reverse; only the pure role table lib/auth/roles.ts is shared (docs/architecture.md "Rooms and arrows").' },
  { target: './lib/reports', from: './lib/review', message: 'The review room reads reports, never the reverse (docs/architecture.md "Rooms and arrows").' },
  { target: './lib/photos', from: './lib/publishing', message: 'Publishing serves photos, never the reverse (docs/architecture.md "Rooms and arrows").' },
  ...GROUPS.map((group) => ({
    target: `./app/${group}`,
    from: GROUPS.filter((other) => other !== group).map((other) => `./app/${other}`),
    message: `One audience's route group never imports another's: move the shared piece to app/_components (docs/architecture.md "Rooms and arrows").`,
  })),
];

const SHARED_UI = path.join(ROOT, 'app', '_components') + path.sep;
const EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

/** The file an import specifier names, for `@/…` and relative specifiers; null for packages. */
function resolveImport(specifier, fromFile) {
  let base;
  if (specifier.startsWith('@/')) base = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(fromFile), specifier);
  else return null;
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** 'server-only' or 'use server' when the file's first statement says so, else null. */
function serverMarkerOf(file) {
  const head = fs.readFileSync(file, 'utf8').replace(/^(\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*/, '');
  if (/^import\s+['"]server-only['"]/.test(head)) return 'server-only';
  if (/^['"]use server['"]/.test(head)) return 'use server';
  return null;
}

const sharedUiNoDataLayer = {
  meta: {
    type: 'problem',
    docs: { description: 'app/_components (shared UI) takes props: no server-only data layer, no Server Actions' },
    messages: {
      dataLayer: "Shared UI (app/_components) takes props and does no data access: '{{specifier}}' is {{marker}} (docs/architecture.md \"Rooms and arrows\"). Read it in the page or layout and pass it down.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    if (!file.startsWith(SHARED_UI)) return {};
    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const target = resolveImport(specifier, file);
      if (!target) return;
      const marker = serverMarkerOf(target);
      if (marker) context.report({ node, messageId: 'dataLayer', data: { specifier, marker: marker === 'server-only' ? 'server-only data layer' : "a 'use server' file" } });
    }
    return {
      ImportDeclaration(node) {
        if (node.importKind === 'type') return;
        check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
    };
  },
};

/** The local plugin: `architecture/shared-ui-no-data-layer`. */
export const architecturePlugin = { rules: { 'shared-ui-no-data-layer': sharedUiNoDataLayer } };
