/**
 * Posts in parallel for real (Vitest only): `submitReport` is synchronous, so posts "in parallel"
 * inside one process run one after another. Here each post is a process of its own with its own
 * connection to the test file's database (lib/testing/submit-child.ts); all are started, and told
 * to go only once every one has opened the database, so their write transactions contend.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SubmitReportResult } from '@/lib/reports/submit';

const CHILD = path.join(import.meta.dirname, 'submit-child.ts');

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`submit child exited with ${code} before answering`)));
  });
}

/**
 * `count` submitReport calls with the same arguments, each in its own process, released together.
 * @returns their results, in the order the processes were started
 */
export async function submitInParallel(count: number, post: { actor: { id: number; role: 'partner' }; values: unknown; now: number }): Promise<SubmitReportResult[]> {
  const children = Array.from({ length: count }, () =>
    fork(CHILD, [], { execArgv: ['--import', 'tsx', '--conditions=react-server'], env: process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  try {
    await Promise.all(children.map((child) => nextMessage<string>(child)));
    const answers = children.map((child) => nextMessage<SubmitReportResult>(child));
    for (const child of children) child.send(post);
    return await Promise.all(answers);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}
