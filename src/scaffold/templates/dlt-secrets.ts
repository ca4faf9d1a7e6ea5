/** `.dlt/secrets.toml` with placeholders only. Placeholders (`<…>`) count as "not set" when settings are resolved. */

export const SECRET_PLACEHOLDERS: Readonly<Record<string, string>> = {
  api_key: '<your BeyondTrust API key>',
  runas: '<BeyondInsight user the API key runs as, e.g. DOMAIN\\user>',
  password: '<run-as user password, only if the API registration requires it>',
  client_id: '<your OAuth client id>',
  client_secret: '<your OAuth client secret>',
};

export function renderDltSecrets(): string {
  const line = (key: string): string => `${key} = ${JSON.stringify(SECRET_PLACEHOLDERS[key])}`;
  return `# BeyondTrust credentials. Fill them in YOURSELF, in your editor. Never paste them into an AI chat:
# the agent checks them with the check_credentials tool, which never shows values.
# This file is git-ignored and hidden from coding agents (.claudeignore / .cursorignore / .codexignore).
# Environment variables win over this file: SOURCES__BEYONDTRUST_SOURCE__API_KEY, __RUNAS, __PASSWORD,
# __CLIENT_ID, __CLIENT_SECRET.
#
# Choose ONE way to sign in (values in <...> are placeholders and count as "not set"):
#  * PS-Auth (API key registration): api_key + runas, plus password only when the API registration
#    requires the run-as user's password. Sent as "Authorization: PS-Auth key=...; runas=...; pwd=[...];".
#  * OAuth 2.0 client credentials (API access registration with a client id/secret): client_id + client_secret.
#    When both are set, OAuth is used instead of PS-Auth.
[sources.beyondtrust_source]
# PS-Auth
${line('api_key')}
${line('runas')}
${line('password')}

# OAuth 2.0 client credentials
${line('client_id')}
${line('client_secret')}
`;
}
