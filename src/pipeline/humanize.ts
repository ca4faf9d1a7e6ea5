/**
 * Durations as dlt prints them: Python `humanize.precisedelta(timedelta)` with its defaults (minimum unit seconds,
 * format "%0.2f"), ported step by step from humanize 4.x. Whole seconds print without decimals ("1 second",
 * "0 seconds", "1 hour, 2 minutes and 3 seconds"); fractions with two ("0.26 seconds", "1.42 seconds"); a value
 * between 1 and 2 is plural; rounding can carry into the next unit (59.999 s → "1 minute").
 */

const US_PER_SECOND = 1_000_000;

/** Python's `"%0.2f" % (us / 1e6)`: correctly rounded, and on exact binary ties to even (JS toFixed rounds up). */
function formatHundredths(us: number): string {
  const exactTie = us % 125_000 === 0 && (us / 125_000) % 2 === 1;
  if (!exactTie) return (us / US_PER_SECOND).toFixed(2);
  const lower = Math.floor(us / 10_000);
  const hundredths = lower % 2 === 0 ? lower : lower + 1;
  return (hundredths / 100).toFixed(2);
}

function divmod(value: number, divisor: number): [number, number] {
  const quotient = Math.floor(value / divisor);
  return [quotient, Math.trunc(value - quotient * divisor)];
}

function plural(value: number, singular: string): string {
  const n = value > 1 && value < 2 ? 2 : Math.trunc(value);
  return n === 1 ? singular : `${singular}s`;
}

export function humanizeDuration(ms: number): string {
  // timedelta(milliseconds=ms): whole microseconds.
  const totalUs = Math.round(Math.max(0, ms) * 1000);
  let days = Math.floor(totalUs / (86_400 * US_PER_SECOND));
  let secs = Math.floor((totalUs - days * 86_400 * US_PER_SECOND) / US_PER_SECOND);
  const usecs = totalUs - days * 86_400 * US_PER_SECOND - secs * US_PER_SECOND;

  let years: number;
  let months: number;
  [years, days] = divmod(days, 365);
  [months, days] = divmod(days, 30.5);
  secs = days * 86_400 + secs;
  [days, secs] = divmod(secs, 86_400);
  let hours: number;
  let minutes: number;
  [hours, secs] = divmod(secs, 3600);
  [minutes, secs] = divmod(secs, 60);
  let secondsText = formatHundredths(secs * US_PER_SECOND + usecs);
  let seconds = Number(secondsText);

  // Rounding may reach the next unit (59.999 s → 60.00 s → 1 minute).
  if (seconds >= 60) {
    seconds -= 60;
    secondsText = seconds.toFixed(2);
    minutes += 1;
  }
  if (minutes >= 60) {
    minutes -= 60;
    hours += 1;
  }
  if (hours >= 24) {
    hours -= 24;
    days += 1;
  }
  if (days >= 31) {
    days -= 31;
    months += 1;
  }
  if (months >= 12) {
    months -= 12;
    years += 1;
  }

  const texts: string[] = [];
  const whole: [number, string][] = [
    [years, 'year'],
    [months, 'month'],
    [days, 'day'],
    [hours, 'hour'],
    [minutes, 'minute'],
  ];
  for (const [value, unit] of whole) {
    if (value > 0) texts.push(`${Math.trunc(value).toLocaleString('en-US')} ${plural(value, unit)}`);
  }
  if (seconds > 0 || texts.length === 0) {
    const fractional = seconds % 1 !== 0;
    texts.push(`${fractional ? secondsText : String(Math.trunc(seconds))} ${plural(seconds, 'second')}`);
  }
  if (texts.length === 1) return texts[0]!;
  return `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
}
