/**
 * Logging to stderr only (stdout belongs to MCP JSON-RPC and to command output). Every line passes
 * through `redactSecrets`. Level from BEYONDTRUST_MCP_LOG_LEVEL (debug|info|warn|error|silent), default warn.
 */
import { redactSecrets } from './config/secret.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (line: string) => void;

function parseLevel(value: string | undefined): LogLevel {
  return value && value in ORDER ? (value as LogLevel) : 'warn';
}

export function createLogger(options: { level?: LogLevel; sink?: LogSink; name?: string } = {}): Logger {
  const level = options.level ?? parseLevel(process.env['BEYONDTRUST_MCP_LOG_LEVEL']);
  const sink: LogSink = options.sink ?? ((line) => process.stderr.write(`${line}\n`));
  const prefix = options.name ? `[${options.name}] ` : '';
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[at] < ORDER[level]) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${safeStringify(fields)}` : '';
    sink(redactSecrets(`${at.toUpperCase()} ${prefix}${message}${suffix}`));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}

/** A logger that drops everything; the default for library code and tests. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
