/** `.dlt/config.toml`: non-secret settings of `[sources.beyondtrust_source]`, optional ones commented out. */
import { tomlString } from './toml-string.js';

export const BASE_URL_PLACEHOLDER = '<https://your-host/BeyondTrust/api/public/v3>';

export function renderDltConfig(options: { baseUrl?: string }): string {
  return `# BeyondTrust source settings (dlt layout). NO secrets here: credentials belong in .dlt/secrets.toml.
# Every key can be overridden by an environment variable SOURCES__BEYONDTRUST_SOURCE__<KEY>, e.g.
# SOURCES__BEYONDTRUST_SOURCE__BASE_URL.
[sources.beyondtrust_source]
# The public API v3 root of your BeyondTrust instance; it ends in /BeyondTrust/api/public/v3.
base_url = ${tomlString(options.baseUrl ?? BASE_URL_PLACEHOLDER)}

# Optional settings (defaults shown):
# page_size = 1000             # rows per request on limit/offset endpoints (1-100000)
# concurrency = 4              # concurrent requests per run
# request_timeout = 60         # seconds per request
# max_attempts = 5             # attempts per request, including the first (retries 429/5xx with backoff)
# verify_tls = true            # never disable outside a lab
# ca_file = "certs/beyondtrust-ca.pem"   # PEM of the CA that signed the server certificate
# credentials_enabled = false  # opt in to the credentials table (checks retrievability, never stores values)
`;
}
