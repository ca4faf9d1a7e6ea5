import { describe, expect, it } from 'vitest';
import { formatFrontmatter, parseFrontmatter } from '../../src/scaffold/frontmatter.js';
import { mergeIgnoreLines } from '../../src/scaffold/ignore-lines.js';
import { mergeTomlServer } from '../../src/scaffold/mcp-registration.js';
import { parse as parseToml } from 'smol-toml';

describe('frontmatter', () => {
  it('reads scalars, booleans and one nested map, and returns the body', () => {
    const doc = parseFrontmatter('---\nname: find-source\ndescription: "Use when: loading"\nalwaysApply: false\nmetadata:\n  owner: data\n---\n# Body\n');
    expect(doc.frontmatter).toEqual({ name: 'find-source', description: 'Use when: loading', alwaysApply: false, metadata: { owner: 'data' } });
    expect(doc.body).toBe('# Body\n');
  });

  it('rejects what YAML would read differently', () => {
    for (const bad of ['---\ndescription: Use when: x\n---\n', '---\nname: a\nname: b\n---\n', 'name: x\n', '---\nname: x\n', '---\n\tname: x\n---\n', '---\ndescription: a #b\n---\n', '---\nname: [x\n---\n']) {
      expect(() => parseFrontmatter(bad), bad).toThrow(/frontmatter/);
    }
  });

  it('formats values so they parse back identically', () => {
    const values = { description: 'Checks: things # and more', alwaysApply: true, plain: 'simple words', tricky: 'true', dash: '- item', quote: "it's \"x\"" };
    expect(parseFrontmatter(`${formatFrontmatter(values)}body`).frontmatter).toEqual(values);
  });
});

describe('ignore lines', () => {
  it('appends only missing entries and is idempotent', () => {
    const once = mergeIgnoreLines('node_modules/\n*.duckdb', ['*.duckdb', '.dlt/secrets.toml']);
    expect(once).toBe('node_modules/\n*.duckdb\n\n# beyondtrust-mcp: keep credentials and local data out of git and away from agents\n.dlt/secrets.toml\n');
    expect(mergeIgnoreLines(once, ['*.duckdb', '.dlt/secrets.toml'])).toBe(once);
  });
});

describe('codex TOML merge', () => {
  const entry = { command: 'npx', args: ['-y', 'beyondtrust-mcp', 'serve'], tool_timeout_sec: 300 };

  it('falls back to re-serialising when the text edit cannot be proven (inline mcp_servers table)', () => {
    const change = mergeTomlServer('mcp_servers = { other = { command = "x" } }\n', 'config.toml', entry, false);
    expect(change.kind).toBe('added');
    const parsed = parseToml((change as { text: string }).text) as { mcp_servers: Record<string, unknown> };
    expect(parsed.mcp_servers).toEqual({ other: { command: 'x' }, beyondtrust: entry });
  });

  it('replaces our table including its sub-tables, leaving the tables after it', () => {
    const text = '[mcp_servers.beyondtrust]\ncommand = "old"\n[mcp_servers.beyondtrust.env]\nA = "1"\n\n[other]\nkeep = true\n';
    const change = mergeTomlServer(text, 'config.toml', entry, true);
    expect(change.kind).toBe('replaced');
    const result = (change as { text: string }).text;
    expect(result).toContain('[other]\nkeep = true');
    expect(parseToml(result)).toEqual({ other: { keep: true }, mcp_servers: { beyondtrust: entry } });
  });
});
