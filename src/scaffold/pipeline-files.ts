/**
 * Writes the files of a BeyondTrust pipeline project: beyondtrust_pipeline.ts, .dlt/config.toml,
 * .dlt/secrets.toml (placeholders only, mode 0600) and .gitignore entries. Used by the MCP tool scaffold_pipeline
 * and `beyondtrust-mcp scaffold`.
 *
 * Rules: everything stays inside the project directory; an existing file is never replaced without
 * `overwrite: true`; an existing .dlt/secrets.toml is never touched at all (it may hold real credentials — the
 * result tells the user to edit it themselves).
 */
import { lstat, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { BtError } from '../errors.js';
import { catalogTables, selectCatalogTables } from './catalog-tables.js';
import { mergeIgnoreLines } from './ignore-lines.js';
import { assertRealPathInside, realProjectDir, resolveInsideProject } from './project-path.js';
import { renderDltConfig } from './templates/dlt-config.js';
import { renderDltSecrets } from './templates/dlt-secrets.js';
import { renderPipelineScript } from './templates/pipeline-script.js';
import { writeTextFile } from './write-file.js';

export interface ScaffoldOptions {
  projectDir: string;
  /** Relative to projectDir; default ".". */
  directory?: string;
  resources?: string[];
  overwrite?: boolean;
  pipelineName?: string;
  datasetName?: string;
  baseUrl?: string;
}

export interface ScaffoldResult {
  /** The pipeline directory relative to the project ("." for the project itself). */
  directory: string;
  /** Paths relative to the project, "/"-separated. */
  written: string[];
  skipped: { path: string; reason: string }[];
  next_steps: string[];
}

export const PIPELINE_SCRIPT_FILE = 'beyondtrust_pipeline.ts';
export const CONFIG_TOML_FILE = '.dlt/config.toml';
export const SECRETS_TOML_FILE = '.dlt/secrets.toml';
export const GITIGNORE_ENTRIES: readonly string[] = ['.dlt/secrets.toml', '*.secrets.toml', '*.duckdb', '*.duckdb.wal', '.dlt/pipelines/'];

const NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

function checkName(kind: 'pipelineName' | 'datasetName', value: string): string {
  if (!NAME_PATTERN.test(value)) {
    throw new BtError('CONFIG_INVALID', `${kind} ${JSON.stringify(value)} is not a valid name.`, {
      hint: 'Use lowercase letters, digits and underscores, starting with a letter or underscore (e.g. beyondtrust_pipeline).',
      details: { step: 'scaffold' },
    });
  }
  return value;
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BtError('CONFIG_INVALID', 'baseUrl must be an http(s) URL like https://host/BeyondTrust/api/public/v3.', {
      details: { step: 'scaffold' },
    });
  }
  if (url.username || url.password) {
    throw new BtError('CONFIG_INVALID', 'baseUrl must not contain a user name or password.', {
      hint: 'Credentials go in .dlt/secrets.toml, filled in by the user.',
      details: { step: 'scaffold' },
    });
  }
  return value;
}

interface PlannedFile {
  /** Relative to the pipeline directory, "/"-separated. */
  file: string;
  mode?: number;
  /** Decides from the current text (undefined: the file is absent) what to write, or why to leave the file alone. */
  content: (existing: string | undefined) => { text: string; kind: 'replace' | 'merge' } | { skip: string };
}

export async function scaffoldPipeline(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const root = await realProjectDir(options.projectDir);
  const directoryInput = options.directory ?? '.';
  const directory = await resolveInsideProject(options.projectDir, directoryInput);
  const catalog = catalogTables();
  const resources = selectCatalogTables(catalog, options.resources);
  const pipelineName = checkName('pipelineName', options.pipelineName ?? 'beyondtrust_pipeline');
  const datasetName = checkName('datasetName', options.datasetName ?? 'beyondtrust_data');
  const baseUrl = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl);
  const overwrite = options.overwrite === true;

  const ownFile = (file: string, render: () => string, mode?: number): PlannedFile => ({
    file,
    ...(mode === undefined ? {} : { mode }),
    content: (existing) => {
      const text = render();
      if (existing === undefined) return { text, kind: 'replace' };
      if (existing === text) return { skip: 'already up to date' };
      if (!overwrite) return { skip: 'exists; pass overwrite: true to replace it' };
      return { text, kind: 'replace' };
    },
  });

  const plan: PlannedFile[] = [
    ownFile(PIPELINE_SCRIPT_FILE, () => renderPipelineScript({ resources, pipelineName, datasetName })),
    ownFile(CONFIG_TOML_FILE, () => renderDltConfig(baseUrl === undefined ? {} : { baseUrl })),
    {
      file: SECRETS_TOML_FILE,
      mode: 0o600,
      content: (existing) =>
        existing === undefined
          ? { text: renderDltSecrets(), kind: 'replace' }
          : { skip: 'exists and is never overwritten (it may hold real credentials); the user edits it, check_credentials shows what is missing' },
    },
    {
      file: '.gitignore',
      content: (existing) => {
        const merged = mergeIgnoreLines(existing, GITIGNORE_ENTRIES);
        return merged === existing ? { skip: 'already has the entries' } : { text: merged, kind: existing === undefined ? 'replace' : 'merge' };
      },
    },
  ];

  const written: string[] = [];
  const skipped: ScaffoldResult['skipped'] = [];
  const shown = (file: string): string => toPosix(relative(root, join(directory, file))) || '.';

  for (const planned of plan) {
    const target = join(directory, ...planned.file.split('/'));
    await assertRealPathInside(root, target, shown(planned.file), options.projectDir);
    const existing = await readExisting(target, shown(planned.file));
    const decision = planned.content(existing);
    if ('skip' in decision) {
      skipped.push({ path: shown(planned.file), reason: decision.skip });
      continue;
    }
    const mode = planned.mode ?? (existing === undefined ? undefined : (await lstat(target)).mode & 0o777);
    await writeTextFile(target, decision.text, { exclusive: existing === undefined, ...(mode === undefined ? {} : { mode }) });
    written.push(shown(planned.file));
  }

  const relativeDirectory = toPosix(relative(root, directory)) || '.';
  return { directory: relativeDirectory, written, skipped, next_steps: nextSteps(relativeDirectory, resources) };
}

async function readExisting(path: string, shown: string): Promise<string | undefined> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink() || !info.isFile()) {
      throw new BtError('SCAFFOLD_PATH_OUTSIDE_PROJECT', `${shown} exists but is not a regular file (a symlink or directory).`, {
        hint: 'Remove or rename it, then scaffold again.',
        details: { step: 'scaffold' },
      });
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function nextSteps(directory: string, resources: readonly string[]): string[] {
  const where = directory === '.' ? '' : ` in ${directory}/`;
  return [
    `Ask the user to open .dlt/secrets.toml${where} in their editor and replace the placeholders (PS-Auth: api_key + runas [+ password]; OAuth: client_id + client_secret), or to set SOURCES__BEYONDTRUST_SOURCE__* environment variables. Never ask for the values in chat and never read that file.`,
    `Set base_url in .dlt/config.toml${where} to https://<host>/BeyondTrust/api/public/v3 (not a secret).`,
    'Verify with check_credentials {"live": true}: no values are shown, only what is present and whether sign-in works.',
    `Preview one table with preview_endpoint {"table": "${resources[0] ?? 'managed_accounts'}"}, then run_pipeline {"resources": ${JSON.stringify(resources)}, "dev_limit": 1} for a first one-page load.`,
  ];
}
