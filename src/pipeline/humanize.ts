/** Durations as dlt prints them (humanize.precisedelta): "0.26 seconds", "1 minute and 5.23 seconds". */
function unit(value: number, singular: string, text: string = String(value)): string {
  return `${text} ${value === 1 ? singular : `${singular}s`}`;
}

export function humanizeDuration(ms: number): string {
  let rest = Math.max(0, ms) / 1000;
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = Math.round((rest - minutes * 60) * 100) / 100;
  const parts: string[] = [];
  if (days > 0) parts.push(unit(days, 'day'));
  if (hours > 0) parts.push(unit(hours, 'hour'));
  if (minutes > 0) parts.push(unit(minutes, 'minute'));
  if (seconds > 0 || parts.length === 0) parts.push(unit(seconds, 'second', seconds.toFixed(2)));
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
