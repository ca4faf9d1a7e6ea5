/**
 * Removes sensitive fields from records before they leave the extractor. A dotted name reaches into nested
 * objects (and into every element of nested lists): "Urls.Secret" removes `Secret` from each `Urls[i]`.
 * Field names match case-insensitively, since BeyondTrust casing varies between resources.
 */

function removeIn(node: unknown, path: string[], removed: Set<string>, fullName: string): void {
  if (Array.isArray(node)) {
    for (const item of node) removeIn(item, path, removed, fullName);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const [head, ...rest] = path;
  if (head === undefined) return;
  const record = node as Record<string, unknown>;
  const lower = head.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== lower) continue;
    if (rest.length === 0) {
      delete record[key];
      removed.add(fullName);
    } else {
      removeIn(record[key], rest, removed, fullName);
    }
  }
}

/**
 * Deletes `fields` from each record in place and returns the names that were actually present. Records come
 * straight from JSON.parse, so mutating them is safe and avoids copying every page.
 */
export function removeSensitiveFields(records: Record<string, unknown>[], fields: readonly string[]): Set<string> {
  const removed = new Set<string>();
  if (fields.length === 0) return removed;
  const paths = fields.map((field) => ({ field, path: field.split('.') }));
  for (const record of records) {
    for (const { field, path } of paths) removeIn(record, path, removed, field);
  }
  return removed;
}
