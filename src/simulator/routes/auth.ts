/** POST Auth/SignAppin, POST Auth/Signout, POST Auth/connect/token. */
import { timingSafeEqual } from 'node:crypto';
import { SESSION_COOKIE, parseBearer, parsePsAuth, readCookie } from '../auth.js';
import type { RequestContext, RouteDefinition } from '../context.js';
import { API_USER_ID } from '../data/people.js';
import { ApiError, NOT_AUTHENTICATED, empty, json, readBody, type Reply } from '../http-io.js';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function displayName(userName: string): string {
  const bare = userName.slice(userName.lastIndexOf('\\') + 1);
  return bare
    .split(/[_.\-\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

function unauthorized(): never {
  throw new ApiError(401, NOT_AUTHENTICATED);
}

/** Which user the Authorization header signs in, or a 401. */
function authenticate(ctx: RequestContext): { userId: number; userName: string; email: string | null } {
  const { credentials, tokens, requirePassword } = ctx.sim;
  const header = ctx.req.headers.authorization;
  const bearer = parseBearer(header);
  if (bearer !== undefined) {
    if (!tokens.isValid(bearer)) unauthorized();
    const userName = `app_${credentials.clientId.slice(0, 8)}`;
    return { userId: API_USER_ID + 1, userName, email: null };
  }
  const psAuth = parsePsAuth(header);
  if (!psAuth?.key || !psAuth.runas) unauthorized();
  if (!same(psAuth.key, credentials.apiKey)) unauthorized();
  if (psAuth.runas.toLowerCase() !== credentials.runas.toLowerCase()) unauthorized();
  if (psAuth.pwd === undefined ? requirePassword : !same(psAuth.pwd, credentials.password)) unauthorized();
  return { userId: API_USER_ID, userName: credentials.runas, email: `${credentials.runas.replace(/^.*\\/, '')}@example.com` };
}

function signAppin(ctx: RequestContext): Reply {
  const user = authenticate(ctx);
  const session = ctx.sim.sessions.create(user.userName);
  ctx.sim.stats.signIns++;
  // IIS sends the attributes in this order; `secure` is kept on plain HTTP too (real servers only speak HTTPS).
  const cookie = `${SESSION_COOKIE}=${session.id}; path=/; secure; HttpOnly; SameSite=Lax`;
  return {
    status: 200,
    kind: 'json',
    value: { UserId: user.userId, SID: null, EmailAddress: user.email, UserName: user.userName, Name: displayName(user.userName) },
    headers: { 'Set-Cookie': cookie },
  };
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
