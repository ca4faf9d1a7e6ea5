import { describe, expect, it } from 'vitest';
import { findPlaceholders, referencedParents, renderJson, renderTemplate } from '../../src/rest/placeholders.js';

const parent = { resource: 'workgroups', item: { ID: 7, Name: 'North/South', Nested: { Code: 'x y' } } };

describe('placeholders', () => {
  it('finds resource and incremental placeholders, ignoring escaped braces', () => {
    expect(findPlaceholders('Workgroups/{resources.workgroups.ID}/Assets?x={{literal}}').map((p) => p.expression)).toEqual(['resources.workgroups.ID']);
    expect(referencedParents('a/{resources.systems.Id}/{incremental.last_value}')).toEqual(['systems']);
  });

  it('renders paths with URL encoding and params without', () => {
    expect(renderTemplate('Workgroups/{resources.workgroups.Name}/Assets', { resource: 'assets', parent }, true)).toBe('Workgroups/North%2FSouth/Assets');
    expect(renderTemplate('{resources.workgroups.Nested.Code}', { resource: 'assets', parent })).toBe('x y');
    expect(renderTemplate('{{a}}', { resource: 'assets' })).toBe('{a}');
    expect(renderTemplate('since {incremental.last_value}', { resource: 'r', incremental: { last_value: '2024-01-01' } })).toBe('since 2024-01-01');
  });

  it('keeps the raw type of a single-placeholder JSON value', () => {
    expect(renderJson({ id: '{resources.workgroups.ID}', label: 'wg-{resources.workgroups.ID}' }, { resource: 'assets', parent })).toEqual({ id: 7, label: 'wg-7' });
  });

  it('names the available fields when the parent lacks one', () => {
    expect(() => renderTemplate('{resources.workgroups.Id}', { resource: 'assets', parent })).toThrow(
      expect.objectContaining({ code: 'PARENT_FIELD_MISSING', message: expect.stringContaining('Available fields: ID, Name, Nested') }),
    );
  });
});
