/**
 * The simulator's control channel: JSON lines over a unix socket, so a test (or an operator in
 * another network namespace) can insert, remove and swap the card and arm faults while pcscd
 * talks to it. One request per line, one reply line per request, in order.
 */
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Fault } from './faults.ts';

export interface SimStatus {
  readonly inserted: boolean;
  readonly commandCount: number;
  readonly person: string;
  readonly triesLeft: Readonly<Record<string, number>>;
}

/** What the control channel drives: the card process (SimHost) or a test double. */
export interface SimController {
  insert(): Promise<void>;
  remove(): Promise<void>;
  /** Removes the card, loads the person file, inserts the new card. */
  loadPerson(file: string): Promise<void>;
  injectFault(fault: Fault): void;
  status(): SimStatus;
  quit(): Promise<void>;
}

const commandSchema = z.discriminatedUnion('cmd', [
  z.strictObject({ cmd: z.literal('insert') }),
  z.strictObject({ cmd: z.literal('remove') }),
  z.strictObject({ cmd: z.literal('person'), file: z.string().min(1) }),
  z.strictObject({
    cmd: z.literal('fault'),
    atCommand: z.int().min(1),
    kind: z.enum(['remove', 'status', 'garbage']),
    sw: z.int().min(0).max(0xffff).optional(),
  }),
  z.strictObject({ cmd: z.literal('status') }),
  z.strictObject({ cmd: z.literal('quit') }),
]);

export type SimCommand = z.infer<typeof commandSchema>;
export type SimReply = ({ ok: true } & Partial<SimStatus>) | { ok: false; error: string };

export class SimControlServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly path: string,
  ) {}

  static listen(path: string, controller: SimController): Promise<SimControlServer> {
    // A socket file left by a killed simulator would make listen() fail with EADDRINUSE.
    rmSync(path, { force: true });
    const server = createServer();
    const control = new SimControlServer(server, path);
    server.on('connection', (socket) => control.serve(socket, controller));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve(control));
    });
  }

  private serve(socket: Socket, controller: SimController): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
    // Requests are answered strictly in order, even when one takes a while (an insert that waits for vpcd).
    let queue = Promise.resolve();
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      queue = queue.then(async () => {
        const reply = await answer(line, controller);
        if (!socket.destroyed) socket.write(`${JSON.stringify(reply.reply)}\n`);
        if (reply.quit) await controller.quit();
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function answer(line: string, controller: SimController): Promise<{ reply: SimReply; quit?: boolean }> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { reply: { ok: false, error: 'not a JSON line' } };
  }
  const parsed = commandSchema.safeParse(json);
  if (!parsed.success) {
    return {
      reply: {
        ok: false,
        error: parsed.error.issues.map((i) => `${i.path.join('.') || 'command'}: ${i.message}`).join('; '),
      },
    };
  }
  const command = parsed.data;
  try {
    switch (command.cmd) {
      case 'insert':
        await controller.insert();
        return { reply: { ok: true } };
      case 'remove':
        await controller.remove();
        return { reply: { ok: true } };
      case 'person':
        await controller.loadPerson(command.file);
        return { reply: { ok: true } };
      case 'fault':
        controller.injectFault({ atCommand: command.atCommand, kind: command.kind, sw: command.sw });
        return { reply: { ok: true } };
      case 'status':
        return { reply: { ok: true, ...controller.status() } };
      case 'quit':
        return { reply: { ok: true }, quit: true };
    }
  } catch (error) {
    return { reply: { ok: false, error: (error as Error).message } };
  }
}

export class SimControlClient {
  private readonly pending: ((reply: SimReply) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => this.pending.shift()?.(JSON.parse(line) as SimReply));
    socket.on('close', () => {
      for (const resolve of this.pending.splice(0))
        resolve({ ok: false, error: 'control connection closed' });
    });
  }

  static connect(path: string): Promise<SimControlClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => socket.destroy());
        resolve(new SimControlClient(socket));
      });
    });
  }

  send(command: SimCommand): Promise<SimReply> {
    if (this.socket.destroyed) return Promise.resolve({ ok: false, error: 'control connection closed' });
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.socket.write(`${JSON.stringify(command)}\n`);
    });
  }

  insert(): Promise<void> {
    return this.expectOk({ cmd: 'insert' });
  }

  remove(): Promise<void> {
    return this.expectOk({ cmd: 'remove' });
  }

  person(file: string): Promise<void> {
    return this.expectOk({ cmd: 'person', file });
  }

  fault(fault: Fault): Promise<void> {
    return this.expectOk({ cmd: 'fault', ...fault });
  }

  async status(): Promise<SimStatus> {
    const reply = await this.send({ cmd: 'status' });
    if (!reply.ok) throw new Error(`simulator: ${reply.error}`);
    return reply as SimStatus & { ok: true };
  }

  quit(): Promise<void> {
    return this.expectOk({ cmd: 'quit' });
  }

  close(): void {
    this.socket.destroy();
  }

  private async expectOk(command: SimCommand): Promise<void> {
    const reply = await this.send(command);
    if (!reply.ok) throw new Error(`simulator: ${reply.error}`);
  }
}
