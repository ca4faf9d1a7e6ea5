/**
 * What resolution saw but `BeyondTrustSettings` (a fixed contract) has no field for: placeholders that were
 * skipped and unknown keys. Kept beside the settings object, so describeSettings can report them.
 */
import type { BeyondTrustSettings } from './types.js';

export interface ResolutionNotes {
  /** key → where the placeholder was found, e.g. ".dlt/secrets.toml [sources.beyondtrust_source] api_key". */
  placeholders: Map<string, string>;
  /** Keys in [sources.beyondtrust_source] that are not settings (likely typos), with their location. */
  unknownKeys: string[];
}

const notesBySettings = new WeakMap<BeyondTrustSettings, ResolutionNotes>();

export function rememberResolutionNotes(settings: BeyondTrustSettings, notes: ResolutionNotes): void {
  notesBySettings.set(settings, notes);
}

export function resolutionNotes(settings: BeyondTrustSettings): ResolutionNotes {
  return notesBySettings.get(settings) ?? { placeholders: new Map(), unknownKeys: [] };
}
