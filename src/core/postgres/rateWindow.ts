// Rates over a sampling window: the panel samples pg_stat_statements on an interval and
// keeps the last few intervals, so a line chart can show what is slow now and whether it
// is getting worse, instead of totals accumulated since the last stats reset.
import { statementRates, type StatementRate, type StatementSample } from './statements';

export interface RatePoint {
  /** Server time (ms since epoch) at the end of the interval. */
  readonly at: number;
  readonly seconds: number;
  readonly rates: readonly StatementRate[];
}

export interface RateSeries {
  /** End of each interval, ms since epoch, oldest first. */
  readonly times: number[];
  readonly statements: {
    /** Null for one role's hidden statements, summed (their text and ids are not visible). */
    readonly queryId: string | null;
    readonly query: string;
    readonly hidden: boolean;
    /** One value per interval: execution ms per wall-clock second (0 when it did not run). */
    readonly msPerSecond: number[];
    readonly callsPerSecond: number[];
  }[];
}

/** One line per statement (query id), and one per role for the statements it hides. */
function seriesKey(r: StatementRate): string {
  return r.queryId ?? `hidden/${r.role ?? ''}`;
}

export class RateWindow {
  private last: StatementSample | undefined;
  private readonly points: RatePoint[] = [];

  /** `size`: how many intervals to keep. */
  constructor(private readonly size = 30) {}

  /** Adds a sample; returns the rates of the interval it closes (none for the first sample). */
  add(sample: StatementSample): RatePoint | undefined {
    const previous = this.last;
    this.last = sample;
    // A sample not after the previous one (clock skew, a repeated read) starts the window again.
    if (!previous || sample.at <= previous.at) return undefined;
    const { seconds, rates } = statementRates(previous, sample, Number.MAX_SAFE_INTEGER);
    const point = { at: sample.at, seconds, rates };
    this.points.push(point);
    if (this.points.length > this.size) this.points.shift();
    return point;
  }

  get intervals(): readonly RatePoint[] {
    return this.points;
  }

  /** The `top` statements by time spent across the window, each with a value per interval. */
  series(top = 5): RateSeries {
    const load = new Map<string, { key: string; queryId: string | null; query: string; hidden: boolean; ms: number }>();
    for (const p of this.points) {
      for (const r of p.rates) {
        const key = seriesKey(r);
        const entry = load.get(key) ?? { key, queryId: r.queryId, query: r.query, hidden: r.hidden, ms: 0 };
        entry.ms += r.msPerSecond * p.seconds;
        load.set(key, entry);
      }
    }
    const chosen = [...load.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
    return {
      times: this.points.map((p) => p.at),
      statements: chosen.map((c) => {
        // Several roles may run the same statement: their rates add up per queryid.
        const per = this.points.map((p) => p.rates.filter((r) => seriesKey(r) === c.key));
        return {
          queryId: c.queryId,
          query: c.query,
          hidden: c.hidden,
          msPerSecond: per.map((rs) => rs.reduce((sum, r) => sum + r.msPerSecond, 0)),
          callsPerSecond: per.map((rs) => rs.reduce((sum, r) => sum + r.callsPerSecond, 0)),
        };
      }),
    };
  }
}
