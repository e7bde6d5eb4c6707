/**
 * The reference nginx (deploy/nginx/field-reports.conf) for the cache measurement (7): found or
 * installed (Debian's package, as .ci/run installs Chromium), run unprivileged-style from a temp
 * directory with its own pid, log, temp and cache paths, listening on a loopback port in front of
 * the large database's server. The site file is used as it is, except for four marked places:
 * the cache directory, the app's port, the TLS server block (plain HTTP on loopback instead) and
 * the port-80 redirect (dropped). `benchSiteConfig` refuses a file where one is missing.
 */
import { execFileSync, execSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const NGINX_SITE_FILE = path.join(ROOT, 'deploy', 'nginx', 'field-reports.conf');

const CACHE_PATH = 'proxy_cache_path /var/cache/nginx/field-reports ';
const APP_SERVER = 'server 127.0.0.1:3000;';
const TLS_BLOCK = /\n[ \t]*# --- TLS \(bench: replaced by plain HTTP on loopback\) ---\n[\s\S]*?# --- end TLS ---\n/;
const REDIRECT_BLOCK = /\n# --- redirect to HTTPS ---\n[\s\S]*?# --- end redirect ---\n/;

/**
 * The site file as the bench runs it (pure). Throws when one of the marked places is not found
 * exactly once: the bench must measure the file in the repo, not a guess at it.
 */
export function benchSiteConfig(site: string, { cacheDir, appPort, listenPort }: { cacheDir: string; appPort: number; listenPort: number }): string {
  const once = (what: string, count: number) => {
    if (count !== 1) throw new Error(`deploy/nginx/field-reports.conf: expected one ${what}, found ${count}`);
  };
  once(`"${CACHE_PATH.trim()}"`, site.split(CACHE_PATH).length - 1);
  once(`"${APP_SERVER}"`, site.split(APP_SERVER).length - 1);
  once('TLS block', (site.match(new RegExp(TLS_BLOCK.source, 'g')) ?? []).length);
  once('redirect block', (site.match(new RegExp(REDIRECT_BLOCK.source, 'g')) ?? []).length);
  return site
    .replace(CACHE_PATH, `proxy_cache_path ${cacheDir} `)
    .replace(APP_SERVER, `server 127.0.0.1:${appPort};`)
    .replace(TLS_BLOCK, `\n    listen 127.0.0.1:${listenPort};\n    server_name localhost;\n`)
    .replace(REDIRECT_BLOCK, '\n');
}

/** The main nginx.conf of the bench's nginx (pure): everything under `dir`, the site included. */
export function benchMainConfig({ dir, siteFile, runAsRoot }: { dir: string; siteFile: string; runAsRoot: boolean }): string {
  return [
    // As root, nginx's workers would switch to an unprivileged user that cannot write the temp dir.
    runAsRoot ? 'user root;' : '',
    'worker_processes auto;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 2048; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${dir}/body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    `  include ${siteFile};`,
    '}',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * A Debian program's binary: the first of `paths` that exists, else `command -v name`; when
 * missing and running as root, installed with apt-get (the first of `packages` that installs), as
 * .ci/run installs Chromium. Throws with the command to run when it cannot be found or installed.
 */
export function findOrInstallDebianTool(
  { name, paths, packages }: { name: string; paths: readonly string[]; packages: readonly string[] },
  log: (message: string) => void,
): { binary: string; installed: boolean } {
  const find = () => {
    for (const candidate of paths) if (fs.existsSync(candidate)) return candidate;
    try {
      return execSync(`command -v ${name}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
    } catch {
      return null;
    }
  };
  const found = find();
  if (found) return { binary: found, installed: false };
  if (process.getuid?.() !== 0) throw new Error(`${name} is not installed (as root: apt-get install -y ${packages.at(-1)})`);
  log(`installing Debian ${name} (apt-get) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = packages.map((pkg) => `apt-get install -y -qq ${pkg} >/dev/null`).join(' || ');
  execSync(`apt-get update -qq && { ${install}; }`, { env, stdio: 'inherit', shell: '/bin/bash' });
  const installed = find();
  if (!installed) throw new Error(`apt-get did not install ${name}`);
  return { binary: installed, installed: true };
}

/** nginx's binary: on PATH or in /usr/sbin; installed with apt-get when missing (root only). */
export function findOrInstallNginx(log: (message: string) => void): { binary: string; installed: boolean } {
  return findOrInstallDebianTool({ name: 'nginx', paths: ['/usr/sbin/nginx', '/usr/local/sbin/nginx'], packages: ['nginx-light', 'nginx'] }, log);
}

export type BenchNginx = { origin: string; version: string; installed: boolean; stop: () => Promise<void>; errorLog: () => string };

/** Start nginx in `dir` (created) on 127.0.0.1:`listenPort` in front of the app on `appPort`. */
export async function startNginx({ dir, appPort, listenPort, log }: { dir: string; appPort: number; listenPort: number; log: (message: string) => void }): Promise<BenchNginx> {
  const { binary, installed } = findOrInstallNginx(log);
  fs.mkdirSync(path.join(dir, 'cache'), { recursive: true });
  const siteFile = path.join(dir, 'field-reports.conf');
  fs.writeFileSync(siteFile, benchSiteConfig(fs.readFileSync(NGINX_SITE_FILE, 'utf8'), { cacheDir: path.join(dir, 'cache'), appPort, listenPort }));
  const mainFile = path.join(dir, 'nginx.conf');
  fs.writeFileSync(mainFile, benchMainConfig({ dir, siteFile, runAsRoot: process.getuid?.() === 0 }));
  const printed = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  const version = `${printed.stderr ?? ''}${printed.stdout ?? ''}`.trim() || 'nginx';
  execFileSync(binary, ['-t', '-q', '-p', dir, '-c', mainFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  const child: ChildProcess = spawn(binary, ['-p', dir, '-c', mainFile, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const origin = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${origin}: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const errorLog = () => {
    try {
      return fs.readFileSync(path.join(dir, 'error.log'), 'utf8').split('\n').slice(-5).join('\n');
    } catch {
      return '';
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGQUIT');
    });
  return { origin, version: version.replace(/^nginx version: /, ''), installed, stop, errorLog };
}
