// One serial device that may disappear (USB unplug, socat restart) and come back: reopened
// with exponential backoff, 'up'/'down' emitted once per transition.
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import type { Logger } from '../runtime/logger.ts';
import { BoundedLineSplitter, type LineChunk } from './lines.ts';

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  maxLineBytes: number;
  /** First reopen delay; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface SerialLinkEvents {
  up: [];
  down: [reason: string];
  line: [line: string];
  overflow: [bytes: number];
}

export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private port: SerialPort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private backoff: number;
  private stopped = false;
  private isUp = false;
  reopens = 0;

  constructor(
    private readonly opts: SerialLinkOptions,
    private readonly logger: Logger,
  ) {
    super();
    this.backoff = opts.minBackoffMs ?? 200;
  }

  get up(): boolean {
    return this.isUp;
  }

  start(): void {
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false });
    this.port = port;
    port.open((err) => {
      if (err) return this.lost(port, `open failed: ${err.message}`);
      if (this.stopped) return void port.close();
      this.backoff = this.opts.minBackoffMs ?? 200;
      const splitter = new BoundedLineSplitter(this.opts.maxLineBytes);
      splitter.on('data', (c: LineChunk) => {
        if ('line' in c) this.emit('line', c.line);
        else this.emit('overflow', c.overflow);
      });
      port.pipe(splitter);
      this.isUp = true;
      this.logger.info({ path: this.opts.path }, 'serial port open');
      this.emit('up');
    });
    port.on('error', (e) => this.lost(port, e.message));
    port.on('close', (e: (Error & { disconnected?: boolean }) | null) =>
      this.lost(port, e?.message ?? 'closed'),
    );
  }

  private lost(port: SerialPort, reason: string): void {
    if (port !== this.port) return; // a stale port's late event
    this.port = undefined;
    if (port.isOpen) port.close(() => {});
    if (this.isUp) {
      this.isUp = false;
      this.logger.warn({ path: this.opts.path, reason }, 'serial port lost; reopening with backoff');
      this.emit('down', reason);
    }
    if (this.stopped) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 5_000);
    this.timer = setTimeout(() => {
      this.reopens++;
      this.open();
    }, delay);
  }

  /** Writes to the device (tests and future commands); false when the port is down. */
  write(data: string): boolean {
    if (!this.port?.isOpen) return false;
    this.port.write(data);
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const port = this.port;
    this.port = undefined;
    this.isUp = false;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
