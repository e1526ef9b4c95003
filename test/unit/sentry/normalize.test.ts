// The normaliser against payloads Sentry's own API schema and tools publish.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventExceptions, issueToSummary, normaliseEvent } from '../../../src/core/sentry/normalize';
import type { ApiEvent, ApiIssue } from '../../../src/core/sentry/types';

const ref = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'reference', name), 'utf8')) as unknown;

describe('sentry normalisation of documented payloads', () => {
  it('reads the exception entry of the API schema example, keeping frame order and splitting context', () => {
    const event = ref('openapi-issue-event-latest.example.json') as ApiEvent;
    const [exc] = eventExceptions(event);
    assert.equal(exc.type, 'ForbiddenError');
    assert.equal(exc.value, 'GET /organizations/hellboy-meowmeow/users/ 403');
    assert.deepEqual(exc.mechanism, { type: 'generic', handled: true });
    assert.deepEqual(
      exc.frames.map((f) => f.function),
      ['ignoreOnError', 'apply'],
    );
    const first = exc.frames[0];
    assert.equal(first.lineNo, 71);
    assert.equal(first.colNo, 23);
    assert.equal(first.inApp, false);
    assert.equal(first.contextLine, '            return fn.apply(this, wrappedArguments);');
    assert.equal(first.preContext?.length, 5);
    assert.equal(first.postContext?.length, 5);
    assert.equal(first.absPath, 'webpack:////usr/src/getsentry/src/sentry/node_modules/@sentry/browser/esm/helpers.js');
  });

  it('takes release and environment from the event and the innermost in-app frame as culprit', () => {
    const n = normaliseEvent(ref('openapi-issue-event-latest.example.json') as ApiEvent);
    assert.equal(n.release, 'b65bc521378269d3eaefdc964f8ef56621414943');
    assert.equal(n.environment, 'prod');
    // No frame is in-app here: the culprit falls back to the innermost frame.
    assert.equal(n.culprit?.function, 'apply');
    const mcp = normaliseEvent(ref('sentry-mcp-event.json') as ApiEvent);
    assert.equal(mcp.release, undefined);
    assert.equal(mcp.environment, 'development');
    assert.equal(mcp.culprit?.function, 'Object.fetch');
    assert.equal(mcp.culprit?.lineNo, 19631);
    assert.equal(mcp.exceptions[0].frames[0].function, undefined, 'null function stays absent, not "null"');
  });

  it('turns an issue of the org issues list into an IncidentSummary (count arrives as a string)', () => {
    const [issue] = ref('openapi-org-issues-list.example.json') as ApiIssue[];
    const s = issueToSummary(issue);
    assert.equal(s.count, 150);
    assert.equal(s.shortId, 'PUMP-STATION-1');
    assert.equal(s.project, 'pump-station');
    assert.equal(s.firstRelease, undefined);
    const details = issueToSummary(ref('openapi-issue-details.example.json') as ApiIssue);
    assert.equal(details.firstRelease, '17642328ead24b51867165985996d04b29310337');
    assert.equal(details.userCount, 12);
  });
});
