import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP gate before a server: shut, it cuts every connection; open, it passes them through. */
export class Gate {
  open = false;
  private readonly sockets = new Set<Socket>();
  readonly server: Server;
  constructor(private readonly port: number) {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on("close", () => this.sockets.delete(client));
      if (!this.open) {
        client.destroy();
        return;
      }
      const upstream = connect(this.port, "127.0.0.1");
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", end);
      upstream.on("error", end);
      // Either side gone ends the other: a cut connection ends the server's session too.
      client.on("close", end);
      upstream.on("close", end);
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }
  /** Shuts the gate and cuts the connections through it (a server gone, as its clients see). */
  shut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
