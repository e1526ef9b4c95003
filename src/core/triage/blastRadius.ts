// Blast radius: who and what the incident touched, for how long, and where it is heading.
import type { IncidentFacts } from './evidence';
import { counted } from '../stack/format';

export type Trend = 'growing' | 'steady' | 'declining' | 'stopped' | 'unknown';

export interface BlastRadius {
  events: number;
  users: number;
  firstSeen: string;
  lastSeen: string;
  /** Duration between first and last seen, in words. */
  duration: string;
  environments: string[];
  releases: string[];
  trend: Trend;
  /** The trend in words, with the figures behind it. */
  trendReason: string;
}

/** "over 3 hours", "within a minute": the duration as the end of a sentence about counts. */
export function overDuration(duration: string): string {
  return duration === 'under a minute' ? 'within a minute' : `over ${duration}`;
}

export function humanDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.round(hours / 24)} days`;
}

/** The trend of a count series (oldest first): compares the latest third with the one before. */
export function trendOf(series: [number, number][] | undefined, now: Date, lastSeen: string): { trend: Trend; reason: string } {
  const sinceLast = now.getTime() - new Date(lastSeen).getTime();
  if (!series || series.length < 3) {
    if (sinceLast > 24 * 3600_000) return { trend: 'stopped', reason: `no events for ${humanDuration(sinceLast)}` };
    return { trend: 'unknown', reason: 'no event series to compare' };
  }
  const third = Math.max(1, Math.floor(series.length / 3));
  const sum = (xs: [number, number][]) => xs.reduce((s, [, n]) => s + n, 0);
  const latest = sum(series.slice(-third));
  const before = sum(series.slice(-2 * third, -third));
  const tail = series.slice(-Math.min(3, series.length));
  if (sum(tail) === 0 && sum(series) > 0) return { trend: 'stopped', reason: `no events in the last ${tail.length} intervals` };
  if (before === 0 && latest > 0) return { trend: 'growing', reason: `${counted(latest, 'event')} in the latest period, none before` };
  const ratio = before === 0 ? 1 : latest / before;
  if (ratio >= 1.5)
    return { trend: 'growing', reason: `${counted(latest, 'event')} in the latest period against ${before} before (×${ratio.toFixed(1)})` };
  if (ratio <= 0.5) return { trend: 'declining', reason: `${counted(latest, 'event')} in the latest period against ${before} before` };
  return { trend: 'steady', reason: `${counted(latest, 'event')} in the latest period against ${before} before` };
}

export function blastRadius(incident: IncidentFacts, now = new Date()): BlastRadius {
  const { trend, reason } = trendOf(incident.series, now, incident.lastSeen);
  const releases = [...new Set([...(incident.firstRelease ? [incident.firstRelease] : []), ...(incident.releases ?? [])])];
  return {
    events: incident.count,
    users: incident.userCount,
    firstSeen: incident.firstSeen,
    lastSeen: incident.lastSeen,
    duration: humanDuration(new Date(incident.lastSeen).getTime() - new Date(incident.firstSeen).getTime()),
    environments: incident.environments ?? [],
    releases,
    trend,
    trendReason: reason,
  };
}
