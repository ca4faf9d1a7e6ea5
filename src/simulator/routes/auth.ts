/** POST Auth/SignAppin, POST Auth/Signout, POST Auth/connect/token. */
import { timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE, parseBearer, parsePsAuth, readCookie } from '../auth.js';
import type { RequestContext, RouteDefinition } from '../context.js';
import { API_USER_ID, OAUTH_USER_ID, normalizeRunas, signedInUser } from '../data/people.js';
import { ApiError, NOT_AUTHENTICATED, empty, json, readBody, type Reply } from '../http-io.js';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function unauthorized(): never {
  throw new ApiError(401, NOT_AUTHENTICATED);
}

/** Run-as names compare case-insensitively, and `CORP\\svc` (an escaped backslash) is `CORP\svc`. */
function sameRunas(given: string, expected: string): boolean {
  return normalizeRunas(given).toLowerCase() === normalizeRunas(expected).toLowerCase();
}

/** Which user (UserId) the Authorization header signs in, or a 401. */
function authenticate(ctx: RequestContext): number {
  const { credentials, tokens, requirePassword } = ctx.sim;
  const header = ctx.req.headers.authorization;
  const bearer = parseBearer(header);
  if (bearer !== undefined) {
    if (!tokens.isValid(bearer)) unauthorized();
    return OAUTH_USER_ID;
  }
  const psAuth = parsePsAuth(header);
  if (!psAuth?.key || !psAuth.runas) unauthorized();
  if (!same(psAuth.key, credentials.apiKey)) unauthorized();
  if (!sameRunas(psAuth.runas, credentials.runas)) unauthorized();
  if (psAuth.pwd === undefined ? requirePassword : !same(psAuth.pwd, credentials.password)) unauthorized();
  return API_USER_ID;
}

/**
 * IIS attribute order. `secure` only over TLS: a cookie jar (browsers, undici's, Go's net/http/cookiejar) never sends
 * a secure cookie back over plain HTTP, so the simulator without `tls` would otherwise break every standard client.
 */
function sessionCookie(id: string, tls: boolean): string {
  return `${SESSION_COOKIE}=${id}; path=/;${tls ? ' secure;' : ''} HttpOnly; SameSite=Lax`;
}

function signAppin(ctx: RequestContext): Reply {
  const userId = authenticate(ctx);
  // The same values GET Users serves for this user (one source: data/people.ts).
  const user = signedInUser(ctx.sim.world, userId, ctx.sim.credentials);
  const session = ctx.sim.sessions.create(String(user['UserName']));
  ctx.sim.stats.signIns++;
  return { status: 200, kind: 'json', value: user, headers: { 'Set-Cookie': sessionCookie(session.id, ctx.sim.tls) } };
}

function signout(ctx: RequestContext): Reply {
  const { sessions, signoutScope } = ctx.sim;
  const id = readCookie(ctx.req.headers.cookie, SESSION_COOKIE);
  ctx.sim.stats.signOuts++;
  if (signoutScope === 'user' && id !== undefined) {
    const session = sessions.peek(id);
    if (session) sessions.endUser(session.userName);
  } else {
    sessions.end(id);
  }
  return empty(200);
}

async function token(ctx: RequestContext): Promise<Reply> {
  ctx.sim.stats.tokenRequests++;
  const form = new URLSearchParams(await readBody(ctx.req));
  if (form.get('grant_type') !== 'client_credentials') return json({ error: 'unsupported_grant_type' }, 400);
  const clientId = form.get('client_id') ?? '';
  const clientSecret = form.get('client_secret') ?? '';
  const { credentials, tokens } = ctx.sim;
  if (!same(clientId, credentials.clientId) || !same(clientSecret, credentials.clientSecret)) {
    return json({ error: 'invalid_client' }, 401);
  }
  return json({ access_token: tokens.issue(), expires_in: tokens.lifetimeSec, token_type: 'Bearer', scope: 'publicapi' });
}

export const authRoutes: RouteDefinition[] = [
  { method: 'POST', template: 'Auth/SignAppin', auth: true, handler: signAppin },
  { method: 'POST', template: 'Auth/Signout', auth: true, handler: signout },
  { method: 'POST', template: 'Auth/connect/token', auth: true, handler: token },
];
