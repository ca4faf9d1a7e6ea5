import { z } from 'zod';
import { checkSignIn } from '../../beyondtrust/auth/check-sign-in.js';
import { describeSettings } from '../../config/describe.js';
import { REDACTED } from '../../config/secret.js';
import type { BeyondTrustSettings } from '../../config/types.js';
import { toBtError } from '../../errors.js';
import { defineTool } from './define-tool.js';
import type { ToolExtra } from './define-tool.js';

const inputSchema = z
  .object({
    live: z.boolean().optional().describe('Also sign in and out once against the API and report ok, user name and latency'),
  })
  .strict();

const liveSchema = z.object({
  ok: z.boolean(),
  auth_mode: z.string(),
  latency_ms: z.number(),
  user_name: z.string().optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
  hint: z.string().optional(),
});

const outputSchema = z.object({
  auth_mode: z.string(),
  settings: z.array(
    z.object({
      key: z.string(),
      present: z.boolean(),
      secret: z.boolean(),
      value: z.string().optional(),
      origin: z.string().optional(),
      placeholder: z.boolean().optional(),
    }),
  ),
  missing: z.array(z.string()),
  warnings: z.array(z.string()),
  live: liveSchema.optional(),
  next_steps: z.array(z.string()),
});

async function liveCheck(settings: BeyondTrustSettings, extra: ToolExtra): Promise<z.input<typeof liveSchema>> {
  try {
    const result = await checkSignIn(settings, { signal: extra.signal });
    if (result.ok) return { ok: true, auth_mode: result.auth_mode, latency_ms: result.latency_ms, user_name: result.user_name };
    return {
      ok: false,
      auth_mode: result.auth_mode,
      latency_ms: result.latency_ms,
      code: result.code,
      reason: result.reason,
      ...(result.hint ? { hint: result.hint } : {}),
    };
  } catch (error) {
    const btError = toBtError(error);
    return { ok: false, auth_mode: 'none', latency_ms: 0, code: btError.code, reason: btError.message, ...(btError.hint ? { hint: btError.hint } : {}) };
  }
}

function nextSteps(missing: string[], live: z.input<typeof liveSchema> | undefined): string[] {
  if (missing.length > 0) {
    return [
      `Ask the user to set ${missing.join(', ')} in .dlt/secrets.toml under [sources.beyondtrust_source] (base_url in .dlt/config.toml) or as SOURCES__BEYONDTRUST_SOURCE__<KEY> env vars. Never ask for the values in chat.`,
      'Call check_credentials again once they are set.',
    ];
  }
  if (!live) return ['Call check_credentials with {"live": true} to test sign-in.'];
  if (!live.ok) return [`Sign-in failed (${live.code ?? 'unknown'}): ${live.hint ?? 'check base_url and the credentials with the user.'}`];
  return ['Credentials work. Next: scaffold_pipeline, preview_endpoint, then run_pipeline with a dev_limit.'];
}

export const checkCredentialsTool = defineTool({
  name: 'check_credentials',
  title: 'Check BeyondTrust credentials',
  description:
    'Which settings are present and where each is read from (.dlt files or env vars), with secret values always shown as ' +
    `${REDACTED}, and the auth mode that will be used. live: true signs in and out once and reports ok, user name and ` +
    'latency, or why it failed. Never returns a secret.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ live }, context, extra) {
    const settings = context.loadSettings();
    const report = describeSettings(settings);
    const settingsReport = report.settings.map((setting) => ({
      key: setting.key,
      present: setting.present,
      secret: setting.secret,
      // Belt and braces: whatever describeSettings returns for a secret, only the mask leaves this tool.
      ...(setting.present && setting.value !== undefined ? { value: setting.secret ? REDACTED : setting.value } : {}),
      ...(setting.origin ? { origin: setting.origin } : {}),
      ...(setting.placeholder ? { placeholder: true } : {}),
    }));
    const liveResult = live ? await liveCheck(settings, extra) : undefined;
    return {
      auth_mode: report.auth_mode,
      settings: settingsReport,
      missing: report.missing,
      warnings: report.warnings,
      ...(liveResult ? { live: liveResult } : {}),
      next_steps: nextSteps(report.missing, liveResult),
    };
  },
});
