/** Credentials checks: the PS-Auth header, OAuth access tokens, and the ASP.NET session cookies they lead to. */
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'ASP.NET_SessionId';

export interface PsAuthHeader {
  key: string | undefined;
  runas: string | undefined;
  pwd: string | undefined;
}

/**
 * Lenient `PS-Auth key=…; runas=…; pwd=[…];` parser: scheme and keys case-insensitive, spaces optional, trailing `;`
 * optional, pwd optional. The password is taken between `pwd=[` and the last `]`, so it may contain `;`.
 */
export function parsePsAuth(header: string | undefined): PsAuthHeader | undefined {
  if (!header) return undefined;
  const match = /^\s*ps-auth\s+(.*)$/is.exec(header);
  if (!match) return undefined;
  let rest = match[1] ?? '';
  let pwd: string | undefined;
  const pwdMatch = /(?:^|;)\s*pwd\s*=\s*\[/i.exec(rest);
  if (pwdMatch) {
    const start = pwdMatch.index + pwdMatch[0].length;
    const end = rest.lastIndexOf(']');
    if (end >= start) {
      pwd = rest.slice(start, end);
      rest = `${rest.slice(0, pwdMatch.index)};${rest.slice(end + 1)}`;
    }
  }
  const fields: Record<string, string> = {};
  for (const part of rest.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    fields[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  if (pwd === undefined && fields['pwd'] !== undefined) pwd = fields['pwd'].replace(/^\[|\]$/g, '');
  return { key: fields['key'], runas: fields['runas'], pwd };
}

export function parseBearer(header: string | undefined): string | undefined {
  const match = header ? /^\s*bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** 24 random lower-case alphanumerics, like IIS session ids. */
export function newSessionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

export interface Session {
  id: string;
  userName: string;
  lastSeenMs: number;
  dataRequests: number;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly clock: () => number,
    private readonly idleMs: number,
    private readonly maxRequests: number | undefined,
  ) {}

  create(userName: string): Session {
    if (this.#sessions.size > 1000) this.#sweep();
    const session: Session = { id: newSessionId(), userName, lastSeenMs: this.clock(), dataRequests: 0 };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session for a data request (counted), or undefined when unknown, idle too long or used up. */
  use(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.clock();
    const usedUp = this.maxRequests !== undefined && session.dataRequests >= this.maxRequests;
    if (now - session.lastSeenMs >= this.idleMs || usedUp) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenMs = now;
    session.dataRequests++;
    return session;
  }

  /** The session without counting a request (undefined when unknown). */
  peek(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.#sessions.get(id);
  }

  end(id: string | undefined): boolean {
    return id !== undefined && this.#sessions.delete(id);
  }

  endUser(userName: string): number {
    let ended = 0;
    for (const [id, session] of this.#sessions) {
      if (session.userName === userName) {
        this.#sessions.delete(id);
        ended++;
      }
    }
    return ended;
  }

  clear(): void {
    this.#sessions.clear();
  }

  #sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.#sessions) if (now - session.lastSeenMs >= this.idleMs) this.#sessions.delete(id);
  }
}

export class TokenStore {
  readonly #tokens = new Map<string, number>();

  constructor(
    private readonly clock: () => number,
    readonly lifetimeSec: number,
  ) {}

  issue(): string {
    if (this.#tokens.size > 1000) {
      const now = this.clock();
      for (const [token, expires] of this.#tokens) if (now >= expires) this.#tokens.delete(token);
    }
    const token = randomBytes(32).toString('base64url');
    this.#tokens.set(token, this.clock() + this.lifetimeSec * 1000);
    return token;
  }

  isValid(token: string): boolean {
    const expires = this.#tokens.get(token);
    return expires !== undefined && this.clock() < expires;
  }
}
