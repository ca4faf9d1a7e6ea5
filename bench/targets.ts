/** The targets of issue 7 and how a figure is judged against them. */
import type { BenchFigures, RunFigures } from './figures.js';

export const TARGETS = {
  pipelineOverMaxFloor: 1.25,
  peakRssAtMillionBytes: 300 * 1024 * 1024,
  rssGrowthMillionOverHundredThousand: 1.5,
  incrementalOfFull: 0.1,
} as const;

export type Verdict = 'PASS' | 'MISS' | 'info';

export interface JudgedRun {
  target: string;
  verdict: Verdict;
}

export function judgeRun(run: RunFigures): JudgedRun {
  switch (run.kind) {
    case 'full':
    case 'full (filtered)':
      return {
        target: `<= ${TARGETS.pipelineOverMaxFloor} x max`,
        verdict: run.ratioMax === undefined ? 'info' : run.ratioMax <= TARGETS.pipelineOverMaxFloor ? 'PASS' : 'MISS',
      };
    case 'incremental (filtered)':
      return {
        target: `<= ${TARGETS.incrementalOfFull * 100}% of full`,
        verdict: run.ofFull === undefined ? 'info' : run.ofFull <= TARGETS.incrementalOfFull ? 'PASS' : 'MISS',
      };
    case 'incremental (all)':
      return { target: 'none: no API filter on accounts', verdict: 'info' };
    case 'faults':
      return { target: 'none: retries cost', verdict: 'info' };
  }
}

export interface MemoryVerdicts {
  lines: Array<{ label: string; value: string; target: string; verdict: Verdict }>;
}

const MB = 1024 * 1024;

export function judgeMemory(figures: BenchFigures): MemoryVerdicts {
  const full = figures.runs.filter((run) => run.kind === 'full');
  const atMillion = full.find((run) => run.managedAccounts === 1_000_000);
  const atHundredThousand = full.find((run) => run.managedAccounts === 100_000);
  const lines: MemoryVerdicts['lines'] = [];
  for (const run of full) {
    const isMillion = run.managedAccounts === 1_000_000;
    lines.push({
      label: `peak RSS, full run, ${run.managedAccounts.toLocaleString('en-US')} accounts`,
      value: run.peakRssBytes === undefined ? 'n/a' : `${(run.peakRssBytes / MB).toFixed(0)} MB`,
      target: isMillion ? '<= 300 MB' : 'none (<= 300 MB applies at 1,000,000)',
      verdict: !isMillion || run.peakRssBytes === undefined ? 'info' : run.peakRssBytes <= TARGETS.peakRssAtMillionBytes ? 'PASS' : 'MISS',
    });
  }
  if (atMillion?.peakRssBytes !== undefined && atHundredThousand?.peakRssBytes !== undefined) {
    const growth = atMillion.peakRssBytes / atHundredThousand.peakRssBytes;
    lines.push({
      label: 'peak RSS 1,000,000 / 100,000',
      value: growth.toFixed(2),
      target: `<= ${TARGETS.rssGrowthMillionOverHundredThousand}`,
      verdict: growth <= TARGETS.rssGrowthMillionOverHundredThousand ? 'PASS' : 'MISS',
    });
  }
  return { lines };
}
