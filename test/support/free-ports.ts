import { createServer, type Server } from 'node:net';

/**
 * `count` distinct loopback ports that are free now: each is held open until all are found,
 * so none is handed out twice, then released for the caller to bind.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** A first port `base` such that base … base + count - 1 are all free now (for `mlwatch stack --base-port`). */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    if (await allFree(base, count)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

async function allFree(base: number, count: number): Promise<boolean> {
  const servers: Server[] = [];
  try {
    for (let port = base; port < base + count; port++) {
      const server = createServer();
      const bound = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!bound) return false;
      servers.push(server);
    }
    return true;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
