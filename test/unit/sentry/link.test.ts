import { strict as assert } from 'node:assert';
import { nextCursor, parseLinkHeader } from '../../../src/core/sentry/link';

// Verbatim headers from Sentry's own sources (see /work/shared/reference/sentry/link-and-ratelimit-headers.txt).
const fromSentryTest =
  '<http://testserver/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <http://testserver/?&cursor=0:100:0>; rel="next"; results="false"; cursor="0:100:0"';
const recorded =
  '<https://app.getsentry.com/api/0/projects/the-interstellar-jurisdiction/pump-station/groups/?statsPeriod=24h&cursor=1440711322:0:1>; rel="previous"; results="false"; cursor="1440711322:0:1", <https://app.getsentry.com/api/0/projects/the-interstellar-jurisdiction/pump-station/groups/?statsPeriod=24h&cursor=1440711320:0:0>; rel="next"; results="false"; cursor="1440711320:0:0"';
const withResults =
  '<https://bebe.testserver/api/0/organizations/?member=1&cursor=1492107369532:0:0>; rel="next"; results="true"; cursor="1492107369532:0:0"';

describe('sentry Link header', () => {
  it('parses both entries of a real header', () => {
    const links = parseLinkHeader(recorded);
    assert.deepEqual(
      links.map((l) => [l.rel, l.results, l.cursor]),
      [
        ['previous', false, '1440711322:0:1'],
        ['next', false, '1440711320:0:0'],
      ],
    );
    assert.match(links[1].url, /statsPeriod=24h&cursor=1440711320:0:0$/);
  });

  it('has a next page only when rel="next" says results="true"', () => {
    assert.equal(nextCursor(fromSentryTest), undefined);
    assert.equal(nextCursor(recorded), undefined);
    assert.equal(nextCursor(withResults), '1492107369532:0:0');
    assert.equal(nextCursor(null), undefined);
    assert.equal(nextCursor('garbage'), undefined);
  });
});
