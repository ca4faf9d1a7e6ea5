/**
 * SQL of merge (delete-insert on the primary key) between staged rows and the dataset, and of replace. Pure text
 * builders; the load session runs them inside the load's transaction.
 */
import type { ResourceTable, ResourceTableTree } from './resource-tables.js';
import { quoteIdent } from './sql.js';

/** Fully qualified name of a table on one side (the dataset or the staging area). */
export type TableNamer = (table: string) => string;

export interface MergeSqlInput {
  tree: ResourceTableTree;
  target: TableNamer;
  stage: TableNamer;
  /** Tables that have a `_dlt_root_id` column (on both sides). */
  withRootId: ReadonlySet<string>;
  /** Tables that exist in the dataset. */
  targetTables: ReadonlySet<string>;
  /** Tables that have staged rows. */
  stagedTables: ReadonlySet<string>;
}

/**
 * Condition on a nested table's rows: "belongs to a root row selected by `rootIds`" (a subquery returning root
 * `_dlt_id`s), through `_dlt_root_id` when present, else through the `_dlt_parent_id` chain.
 */
export function nestedRowsCondition(table: ResourceTable, tree: ResourceTableTree, side: TableNamer, withRootId: ReadonlySet<string>, rootIds: string): string {
  if (withRootId.has(table.name)) return `_dlt_root_id IN (${rootIds})`;
  if (table.parent === undefined || table.parent === tree.root) return `_dlt_parent_id IN (${rootIds})`;
  const parent = tree.tables.find((candidate) => candidate.name === table.parent);
  if (!parent) return `_dlt_parent_id IN (${rootIds})`;
  return `_dlt_parent_id IN (SELECT _dlt_id FROM ${side(parent.name)} WHERE ${nestedRowsCondition(parent, tree, side, withRootId, rootIds)})`;
}

function keyMatch(primaryKey: readonly string[], left: string, right: string): string {
  return primaryKey.map((column) => `${left}.${quoteIdent(column)} = ${right}.${quoteIdent(column)}`).join(' AND ');
}

/** Statements, in order, that merge the staged rows of one resource into the dataset. */
export function mergeStatements(input: MergeSqlInput): string[] {
  const { tree, target, stage, withRootId, targetTables, stagedTables } = input;
  const statements: string[] = [];
  const nested = tree.tables.filter((table) => table.name !== tree.root);
  const stageRoot = stage(tree.root);
  const keys = tree.primaryKey.map(quoteIdent).join(', ');
  // Last wins: of staged rows sharing a key keep the one appended last (largest rowid). GROUP BY puts NULL keys in
  // one group, so NULL-key rows never reach this statement: the load session fails them first (MERGE_NULL_KEY).
  statements.push(`DELETE FROM ${stageRoot} WHERE rowid NOT IN (SELECT max(rowid) FROM ${stageRoot} GROUP BY ${keys})`);
  if (targetTables.has(tree.root)) {
    const matched = `SELECT t._dlt_id FROM ${target(tree.root)} t WHERE EXISTS (SELECT 1 FROM ${stageRoot} s WHERE ${keyMatch(tree.primaryKey, 's', 't')})`;
    for (const table of [...nested].reverse()) {
      if (!targetTables.has(table.name)) continue;
      statements.push(`DELETE FROM ${target(table.name)} WHERE ${nestedRowsCondition(table, tree, target, withRootId, matched)}`);
    }
    statements.push(`DELETE FROM ${target(tree.root)} t WHERE EXISTS (SELECT 1 FROM ${stageRoot} s WHERE ${keyMatch(tree.primaryKey, 's', 't')})`);
  }
  statements.push(`INSERT INTO ${target(tree.root)} BY NAME SELECT * FROM ${stageRoot}`);
  const keptRoots = `SELECT _dlt_id FROM ${stageRoot}`;
  for (const table of nested) {
    if (!stagedTables.has(table.name)) continue;
    statements.push(
      `INSERT INTO ${target(table.name)} BY NAME SELECT * FROM ${stage(table.name)} WHERE ${nestedRowsCondition(table, tree, stage, withRootId, keptRoots)}`,
    );
  }
  return statements;
}

/**
 * One row: the number of staged rows with any key column NULL, then the NULL count per key column (in order).
 * Merge refuses NULL keys (see load-session.ts, MERGE_NULL_KEY).
 */
export function nullKeyCounts(stageRoot: string, primaryKey: readonly string[]): string {
  const any = primaryKey.map((column) => `${quoteIdent(column)} IS NULL`).join(' OR ');
  const each = primaryKey.map((column) => `count(*) FILTER (WHERE ${quoteIdent(column)} IS NULL)`);
  return `SELECT count(*) FILTER (WHERE ${any}), ${each.join(', ')} FROM ${stageRoot}`;
}

/** Staged rows copied as they are (merge without a primary key falls back to append). */
export function appendStagedStatements(input: Pick<MergeSqlInput, 'tree' | 'target' | 'stage' | 'stagedTables'>): string[] {
  return input.tree.tables
    .filter((table) => input.stagedTables.has(table.name))
    .map((table) => `INSERT INTO ${input.target(table.name)} BY NAME SELECT * FROM ${input.stage(table.name)}`);
}
