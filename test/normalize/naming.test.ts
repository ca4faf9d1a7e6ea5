import { describe, expect, it } from 'vitest';
import {
  MAX_IDENTIFIER_LENGTH,
  joinPath,
  normalizeIdentifier,
  shortenIdentifier,
  tableName,
  variantColumnName,
} from '../../src/normalize/naming.js';

describe('normalizeIdentifier', () => {
  it.each([
    ['ManagedSystemID', 'managed_system_id'],
    ['ManagedAccountID', 'managed_account_id'],
    ['SystemId', 'system_id'],
    ['ID', 'id'],
    ['AccountId', 'account_id'],
    ['UserPrincipalName', 'user_principal_name'],
    ['IPAddress', 'ip_address'],
    ['DNSName', 'dns_name'],
    ['ChangeState', 'change_state'],
    ['IsISAAccess', 'is_isa_access'],
    ['LastChangeDate', 'last_change_date'],
    ['PlatformID', 'platform_id'],
    ['managed_accounts', 'managed_accounts'],
  ])('BeyondTrust casing %s → %s', (source, expected) => {
    expect(normalizeIdentifier(source)).toBe(expected);
  });

  it.each([
    ['event value', 'event_value'],
    [' Small Love Potion ', 'small_love_potion'],
    ['event-.!:*<>value', 'event_x_value'],
    ['1event_n\'', '_1event_nx'],
    ['123BaNaNa', '_123_ba_na_na'],
    ['BANANA', 'banana'],
    ['BAN_ANA', 'ban_ana'],
    ['BANaNA', 'ba_na_na'],
    ['BANANA_', 'bananax'],
    ['BANANA____', 'bananaxxxx'],
    ['event__value_value2____', 'event_value_value2xxxx'],
    ['+1', 'x1'],
    ['-1', '_1'],
    ['a*b', 'axb'],
    ['user@domain', 'useradomain'],
    ['a|b', 'alb'],
    ['+-!$*@#=|:', 'x_xa_lx'],
    ['Ćwiczenie', '_wiczenie'],
    ['__proto__', '_protoxx'],
  ])('dlt edge case %j → %s', (source, expected) => {
    expect(normalizeIdentifier(source)).toBe(expected);
  });

  it('maps blank keys to _empty', () => {
    expect(normalizeIdentifier('')).toBe('_empty');
    expect(normalizeIdentifier('   ')).toBe('_empty');
  });

  it('is idempotent on its own output', () => {
    for (const source of ['ManagedSystemID', 'IPAddress', '1event_n\'', 'BANANA____', 'a b c']) {
      const once = normalizeIdentifier(source);
      expect(normalizeIdentifier(once)).toBe(once);
    }
  });

  it('shortens over-long names with a deterministic tag in the middle', () => {
    const long = `Very${'Long'.repeat(30)}FieldName`;
    const short = normalizeIdentifier(long);
    expect(short).toHaveLength(MAX_IDENTIFIER_LENGTH);
    expect(short.startsWith('very_long_long')).toBe(true);
    expect(short.endsWith('long_field_name')).toBe(true);
    expect(normalizeIdentifier(long)).toBe(short);
    // Same head and tail, different middle → different names.
    const other = normalizeIdentifier(`Very${'Long'.repeat(14)}X${'Long'.repeat(15)}FieldName`);
    expect(other).toHaveLength(MAX_IDENTIFIER_LENGTH);
    expect(other).not.toBe(short);
  });

  it('keeps names at the limit unchanged', () => {
    const exact = 'a'.repeat(MAX_IDENTIFIER_LENGTH);
    expect(normalizeIdentifier(exact)).toBe(exact);
    expect(shortenIdentifier(exact, exact)).toBe(exact);
  });
});

describe('paths', () => {
  it('builds nested table names with __', () => {
    expect(tableName('managed_accounts', 'Tags')).toBe('managed_accounts__tags');
    expect(tableName('users__pets', 'Toys')).toBe('users__pets__toys');
    expect(tableName('requests', 'ManagedSystemID')).toBe('requests__managed_system_id');
  });

  it('joins fragments and names variant columns', () => {
    expect(joinPath('address', 'city')).toBe('address__city');
    expect(joinPath('', 'tags')).toBe('tags');
    expect(variantColumnName('change_state', 'text')).toBe('change_state__v_text');
  });

  it('shortens long joined paths', () => {
    const name = tableName('a'.repeat(60), 'SomeNestedList');
    expect(name).toHaveLength(MAX_IDENTIFIER_LENGTH);
    expect(name).toBe(tableName('a'.repeat(60), 'SomeNestedList'));
  });
});
