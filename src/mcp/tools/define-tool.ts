/**
 * One tool = one definition object (schema, annotations, handler). `defineTool` turns it into something the server
 * registers, wrapping the handler so every success goes through `ok` and every failure through `errorResult`.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { BtError, toBtError } from '../../errors.js';
import type { ToolContext } from '../context.js';
import { errorResult, ok } from '../result.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** All four hints, always set: the defaults of the spec are the risky ones. */
export type HonestAnnotations = Required<Pick<ToolAnnotations, 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint'>>;

export interface ToolDefinition<Input extends z.ZodObject, Output extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Input;
  outputSchema: Output;
  annotations: HonestAnnotations;
  _meta?: Record<string, unknown>;
  handler(args: z.output<Input>, context: ToolContext, extra: ToolExtra): Promise<z.input<Output>>;
}

export interface RegistrableTool {
  readonly name: string;
  register(server: McpServer, context: ToolContext): void;
}

const INTERNAL_HINT = 'This was not expected; the server log (stderr) has the details. Retry once, then report it.';

export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): RegistrableTool {
  return {
    name: definition.name,
    register(server, context) {
      server.registerTool(
        definition.name,
        {
          title: definition.title,
          description: definition.description,
          inputSchema: definition.inputSchema,
          outputSchema: definition.outputSchema,
          annotations: { title: definition.title, ...definition.annotations },
          ...(definition._meta ? { _meta: definition._meta } : {}),
        },
        // The SDK computes the callback type from the schema type, which TypeScript cannot resolve for a generic Input.
        (async (args: z.output<Input>, extra: ToolExtra) => {
          try {
            registerBoundarySecrets(context);
            const structured = await definition.handler(args, context, extra);
            return ok(structured as Record<string, unknown>);
          } catch (error) {
            const btError = withHint(toBtError(error));
            context.logger.warn(`tool ${definition.name} failed: ${btError.code}`, { message: btError.message });
            return errorResult(btError);
          }
        }) as Parameters<McpServer['registerTool']>[2],
      );
    },
  };
}

/** Errors from outside our code (INTERNAL) arrive without a hint; give the agent one instead of nothing. */
function withHint(error: BtError): BtError {
  if (error.hint || error.code !== 'INTERNAL') return error;
  return new BtError(error.code, error.message, { hint: INTERNAL_HINT, details: error.details, cause: error.cause });
}

/**
 * Every tool, not only those that need settings, may return text containing a configured secret (e.g. a query that
 * quotes it): load the settings first so the redaction knows the current values. A broken config is reported by the
 * tools that need it, not here.
 */
function registerBoundarySecrets(context: ToolContext): void {
  try {
    context.loadSettings();
  } catch {
    // nothing to register
  }
}
