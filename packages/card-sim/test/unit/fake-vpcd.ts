/** Plays vpcd's side of the virtual-ICC protocol on a local port, the way vpcd frames it. */
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

export class FakeVpcd {
  private socket: Socket | undefined;
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private connections: ((socket: Socket) => void)[] = [];

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.socket = socket;
      this.buffered = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        this.buffered = Buffer.concat([this.buffered, chunk]);
        this.wake?.();
      });
      socket.on('close', () => this.wake?.());
      for (const resolve of this.connections.splice(0)) resolve(socket);
    });
  }

  static async start(): Promise<FakeVpcd> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new FakeVpcd(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Resolves with the card's next connection (or the current one). */
  accepted(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve) => this.connections.push(resolve));
  }

  /** Writes the length and the payload separately, as vpcd does; `split` also cuts the payload. */
  async send(payload: Uint8Array, split = false): Promise<void> {
    const socket = await this.accepted();
    const length = Buffer.alloc(2);
    length.writeUInt16BE(payload.length);
    socket.write(length);
    await new Promise((r) => setImmediate(r));
    if (split && payload.length > 1) {
      socket.write(payload.subarray(0, 1));
      await new Promise((r) => setImmediate(r));
      socket.write(payload.subarray(1));
    } else {
      socket.write(payload);
    }
  }

  /** The next frame from the card, or undefined when it hung up first. */
  async reply(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.buffered.length >= 2) {
        const length = this.buffered.readUInt16BE(0);
        if (this.buffered.length >= 2 + length) {
          const frame = this.buffered.subarray(2, 2 + length);
          this.buffered = this.buffered.subarray(2 + length);
          return Buffer.from(frame);
        }
      }
      if (!this.connected) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async exchange(payload: Uint8Array, split = false): Promise<Buffer | undefined> {
    await this.send(payload, split);
    return this.reply();
  }

  /** Hangs up on the card, as vpcd does when pcscd stops. */
  dropClient(): void {
    this.socket?.destroy();
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
