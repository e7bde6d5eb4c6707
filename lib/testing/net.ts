/**
 * Small TCP helpers for tests that start real servers (lib/server tests, e2e/server-shutdown,
 * the crash test). No 'server-only': Vitest, Playwright and tsx scripts import this directly.
 */
import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now (the OS picks it; another process may take it later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A new TCP connection's fate on 127.0.0.1:`port`: 'connected', or the error code (e.g. 'ECONNREFUSED'). */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}
