import { createServer, connect, type Server, type Socket } from 'node:net';

/** A TCP proxy a test can cut and restore, to play a database going away and coming back. */
export interface TcpProxy {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free port forwarding to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = 0;
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = connect(port, host);
      sockets.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((done) => server?.listen(listenPort, '127.0.0.1', done));
    const address = server.address();
    if (typeof address === 'object' && address !== null) listenPort = address.port;
  };
  const cut = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((done) => (server === undefined ? done() : server.close(() => done())));
    server = undefined;
  };
  await listen();
  return {
    get port() {
      return listenPort;
    },
    cut,
    restore: listen,
    close: cut,
  };
}
