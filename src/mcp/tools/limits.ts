/** Shared argument bounds, so oversized input is rejected by the schema before any handler runs. */
import { z } from 'zod';

export const MAX_RESOURCES = 32;
export const MAX_NAME_CHARS = 128;
export const MAX_SQL_CHARS = 20_000;
/** Array elements + object members in one tools/call payload (McpServer option). */
export const MAX_TOOL_INPUT_ELEMENTS = 200;

export const tableNameSchema = z.string().min(1).max(MAX_NAME_CHARS);

export const resourcesSchema = z
  .array(tableNameSchema)
  .min(1)
  .max(MAX_RESOURCES)
  .describe('Table names from list_endpoints, e.g. ["managed_accounts", "assets"]; omit for all default endpoints');

/** Pipeline names and run ids end up in file paths (.dlt/pipelines/<name>/runs/<id>.json): no separators, no "..". */
export const fileSafeNameSchema = z
  .string()
  .min(1)
  .max(MAX_NAME_CHARS)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "-" and "." only')
  .refine((name) => !name.includes('..'), 'must not contain ".."');
