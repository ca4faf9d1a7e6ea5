/** The packaged skills (skills/<name>/SKILL.md + references) as data, located relative to this module. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BtError } from '../errors.js';
import { parseFrontmatter } from './frontmatter.js';

export interface SkillFile {
  /** Relative to the skill folder, "/"-separated, e.g. "SKILL.md" or "references/queries.md". */
  path: string;
  content: string;
}

export interface PackagedSkill {
  name: string;
  description: string;
  /** SKILL.md without its frontmatter. */
  body: string;
  files: SkillFile[];
}

/** skills/ of this package: found by walking up from this module (src/scaffold or dist/src/scaffold). */
export function defaultSkillsDir(): string {
  let current = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(current, 'skills');
    if (existsSync(join(candidate, 'find-source', 'SKILL.md')) && existsSync(join(current, 'package.json'))) return candidate;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  throw new BtError('SKILLS_NOT_FOUND', 'The packaged skills folder (skills/find-source/SKILL.md) was not found next to beyondtrust-mcp.', {
    hint: 'Reinstall beyondtrust-mcp (the npm package ships skills/), or pass skillsDir.',
    details: { step: 'init' },
  });
}

export async function loadSkills(skillsDir: string): Promise<PackagedSkill[]> {
  const root = resolve(skillsDir);
  const entries = await readdir(root, { withFileTypes: true }).catch((error: unknown) => {
    throw new BtError('SKILLS_NOT_FOUND', `Cannot read the skills folder ${root}.`, { details: { step: 'init' }, cause: error });
  });
  const skills: PackagedSkill[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = join(root, entry.name);
    if (!existsSync(join(folder, 'SKILL.md'))) continue;
    const files = await readFolder(folder);
    const skillMd = files.find((f) => f.path === 'SKILL.md')!;
    const { frontmatter, body } = parseFrontmatter(skillMd.content, `skills/${entry.name}/SKILL.md`);
    const name = frontmatter['name'];
    const description = frontmatter['description'];
    if (name !== entry.name || typeof description !== 'string') {
      throw new BtError('FRONTMATTER_INVALID', `skills/${entry.name}/SKILL.md needs name: ${entry.name} and a description.`, {
        details: { step: 'init' },
      });
    }
    skills.push({ name, description, body, files });
  }
  if (skills.length === 0) {
    throw new BtError('SKILLS_NOT_FOUND', `No skills (folders with SKILL.md) in ${root}.`, { details: { step: 'init' } });
  }
  return skills;
}

async function readFolder(folder: string): Promise<SkillFile[]> {
  const files: SkillFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push({ path: relative(folder, path).split(sep).join('/'), content: await readFile(path, 'utf8') });
    }
  };
  await walk(folder);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
