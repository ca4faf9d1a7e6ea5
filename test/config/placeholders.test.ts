import { describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../src/config/placeholders.js';

describe('isPlaceholder', () => {
  it.each(['<configure me>', '<your api key>', 'your-api-key-here', 'your_client_secret', '${BT_API_KEY}', 'changeme', 'TODO', '**********'])(
    'treats %s as a placeholder',
    (value) => expect(isPlaceholder(value)).toBe(true),
  );
  it.each(['a1b2c3d4e5', 'svc_reader', 'https://bt.example/BeyondTrust/api/public/v3', 'yourself', 'TODO-list-app'])(
    'keeps %s as a real value',
    (value) => expect(isPlaceholder(value)).toBe(false),
  );
});
