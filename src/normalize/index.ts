/** Normalize stage: JSON records → typed rows and nested tables, naming, type inference, schema and contracts. */
export { normalizeIdentifier, tableName, joinPath, variantColumnName, shortenIdentifier, MAX_IDENTIFIER_LENGTH, PATH_SEPARATOR } from './naming.js';
export { parseTimestampMicros, parseDateDays, formatTimestampMicros, formatDateDays, daysFromCivil } from './timestamps.js';
export { Normalizer, hintColumnName, DEFAULT_MAX_TABLE_NESTING } from './normalizer.js';
export type { NormalizerOptions } from './normalizer.js';
export { inferColumns, schemaVersionHash } from './infer.js';
export type { InferredColumn, InferOptions } from './infer.js';
export { inferValueType, inferStringType, coerceValue, encodeValue, toJsonText, NOT_COERCIBLE } from './value-types.js';
export { SCHEMA_ENGINE_VERSION, emptySchema } from './schema-version.js';
export { resolveContract } from './contract.js';
export type { ContractEntity, ResolvedContract } from './contract.js';
export type * from './types.js';
