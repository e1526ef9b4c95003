// Typical leak culprits named in words, read off a retainer path: listeners left on an
// EventEmitter, timers, closures that keep request objects alive, Maps and Sets that
// only grow.
import type { PathStep } from './retainers';

const REQUEST_LIKE = /request|req\b|ctx|context|incomingmessage|serverresponse|response/i;

export function culpritsOf(steps: PathStep[], target: string): string[] {
  const out: string[] = [];
  const events = steps.map((s) => s.edge).lastIndexOf('_events'); // the emitter nearest the object
  if (events >= 0) {
    const next = steps[events + 1];
    const name = next && next.holder === 'Object' ? next.edge : undefined;
    const emitter = steps[events]!.holder;
    out.push(
      `EventEmitter listeners: a listener${name ? ` for '${name}'` : ''} is added to ${emitter === 'Object' ? 'an emitter' : `${/^[AEIOU]/.test(emitter) ? 'an' : 'a'} ${emitter}`} and never removed; remove it (emitter.off / once) when its request ends`,
    );
  }
  if (steps.some((s) => /^(Timeout|Immediate|TimersList|Timer)$/.test(s.holder) || s.edge === '_onTimeout' || s.edge === '_onImmediate')) {
    out.push(
      'Timers: a setTimeout/setInterval callback keeps it alive; clear the timer (clearInterval/clearTimeout) when it is no longer needed',
    );
  }
  const contextVar = [...steps].reverse().find((s) => s.edgeType === 'context');
  const closureIndex = steps.findIndex((s) => s.holder === '(closure)');
  if (closureIndex >= 0 && contextVar && (REQUEST_LIKE.test(target) || REQUEST_LIKE.test(contextVar.edge))) {
    out.push(
      `A closure over a request object: the function captures \`${contextVar.edge}\`, so every request it was created for stays in memory while the function is referenced`,
    );
  } else if (closureIndex >= 0 && contextVar && out.length === 0) {
    out.push(`A closure keeps it alive through the captured variable \`${contextVar.edge}\``);
  }
  const map = steps.find((s) => s.holder === 'Map' || s.holder === 'Set' || s.holder === 'WeakMap');
  if (map && map.holder !== 'WeakMap') {
    out.push(`A growing ${map.holder}: entries are added and never deleted; bound it (LRU, TTL) or delete entries when done`);
  }
  return out;
}
