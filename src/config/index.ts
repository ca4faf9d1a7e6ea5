/** Configuration: dlt-compatible .dlt files + environment, with secrets that cannot be printed. */
export { SOURCE_SECTION, CONFIG_FILE, SECRETS_FILE, envVarName, resolveSettings, authMode, requireRunSettings } from './resolve.js';
export { describeSettings, type SettingReport, type SettingsDescription } from './describe.js';
export { isPlaceholder } from './placeholders.js';
export { originLabel } from './origin-label.js';
export { SETTING_KEYS, isSecretKey, type SettingKeySpec, type SettingKeyName } from './setting-keys.js';
