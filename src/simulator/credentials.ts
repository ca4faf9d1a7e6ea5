/** Demo credentials the simulator accepts when none are given (printed by `beyondtrust-mcp simulator`). */
import type { SimulatorCredentials } from './types.js';

export const DEMO_CREDENTIALS: SimulatorCredentials = Object.freeze({
  // A 128-character hex key, the form BeyondInsight API registrations use.
  apiKey:
    '2180976b8ece6bd43750d98efd90083bed810c97d250b88d9bacb01569d7386ffeacb826dcfb6b0f825108bedb9b518b4512380d12211daa41c55fb3e0ee279a',
  runas: 'svc_loader',
  password: 'Demo-Passw0rd!',
  clientId: '4962f761-58f5-4391-8f5b-65386f12edfb',
  clientSecret: 'eEoLvFshzRZ6KspIVRDO4eaX_nW-Uwp-demo-secret',
});

export function resolveCredentials(overrides: Partial<SimulatorCredentials> = {}): SimulatorCredentials {
  const pick = (key: keyof SimulatorCredentials): string => overrides[key] ?? DEMO_CREDENTIALS[key];
  return {
    apiKey: pick('apiKey'),
    runas: pick('runas'),
    password: pick('password'),
    clientId: pick('clientId'),
    clientSecret: pick('clientSecret'),
  };
}
