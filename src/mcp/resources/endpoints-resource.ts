/** `beyondtrust://endpoints`: the endpoint catalog as JSON, for clients that read resources. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { BEYONDTRUST_CATALOG } from '../../beyondtrust/catalog.js';

export const ENDPOINTS_RESOURCE_URI = 'beyondtrust://endpoints';

export function registerEndpointsResource(server: McpServer): void {
  server.registerResource(
    'endpoints',
    ENDPOINTS_RESOURCE_URI,
    {
      title: 'BeyondTrust endpoint catalog',
      description: 'Every endpoint the BeyondTrust source can load: table, path, paging, keys, parent, incremental field, sensitive fields, write disposition, columns.',
      mimeType: 'application/json',
    },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ endpoints: BEYONDTRUST_CATALOG }, null, 2) }],
    }),
  );
}
