import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where the service writes what happened (RotatingLog in the app, silentLogger in tests); fields are structured, never secrets. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SENSITIVE_KEY = /token|authorization|secret|password|cookie/i;

/** Fields whose names say they hold credentials are dropped before anything is serialised. */
function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SENSITIVE_KEY.test(key) ? '[redacted]' : redactFields(inner)]),
  );
}

/** And credential-looking text anywhere in the line (a message quoting a header, say). */
function redactText(text: string): string {
  return text
    .replace(/(bearer\s+)[^\s"'\\,]+/gi, '$1[redacted]')
    .replace(
      /((?:access_|refresh_)?token|client_secret|password)(\\?"?\s*[:=]\s*\\?"?)[^\s"\\,&]+/gi,
      '$1$2[redacted]',
    );
}

/**
 * A log file under the app's data directory with each job's key events, rotated at `maxBytes`
 * (keeping `keep` old files). Tokens never reach it.
 */
export class RotatingLog implements Logger {
  readonly dir: string;
  readonly path: string;
  readonly #maxBytes: number;
  readonly #keep: number;

  constructor(dir: string, options: { maxBytes?: number; keep?: number } = {}) {
    this.dir = dir;
    this.path = join(dir, 'hoist.log');
    this.#maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.#keep = options.keep ?? 3;
    mkdirSync(dir, { recursive: true });
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#write('error', message, fields);
  }

  #write(level: string, message: string, fields?: Record<string, unknown>): void {
    const line = redactText(
      `${new Date().toISOString()} ${level} ${message}${fields ? ` ${JSON.stringify(redactFields(fields))}` : ''}`,
    );
    try {
      this.#rotateIfNeeded();
      appendFileSync(this.path, `${line}\n`);
    } catch {
      // A log that cannot be written must never stop an upload.
    }
  }

  #rotateIfNeeded(): void {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return; // no log yet
    }
    if (size < this.#maxBytes) return;
    rmSync(`${this.path}.${this.#keep}`, { force: true });
    for (let index = this.#keep - 1; index >= 1; index--) {
      try {
        renameSync(`${this.path}.${index}`, `${this.path}.${index + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.path, `${this.path}.1`);
  }
}

/** A Logger that drops everything: the default when none is given. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
