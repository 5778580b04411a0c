/**
 * Trace text in the kernel's own words: the numbers the simulation logs (return codes, event
 * masks, resume actions) written as the C source would write them.
 *
 * @packageDocumentation
 */
import * as errno from '../constants/errno.js';
import { UTRACE_EVENT_INDEX } from '../constants/events.js';

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(errno as Readonly<Record<string, unknown>>)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .map(([name, value]) => [value, name]),
);

const EVENT_NAMES: readonly (readonly [string, number])[] = Object.entries(UTRACE_EVENT_INDEX).sort((a, b) => a[1] - b[1]);

const ACTION_NAMES = ['UTRACE_STOP', 'UTRACE_INTERRUPT', 'UTRACE_REPORT', 'UTRACE_SINGLESTEP', 'UTRACE_BLOCKSTEP', 'UTRACE_RESUME', 'UTRACE_DETACH'];

/**
 * A return code as C writes it: `0`, `-EINPROGRESS`; an unknown negative code stays a number.
 * @internal
 */
export function errnoName(ret: number): string {
  if (ret >= 0) return String(ret);
  const name = ERRNO_NAMES.get(-ret);
  return name === undefined ? String(ret) : `-${name}`;
}

/**
 * An event mask as C writes it: `0`, `UTRACE_EVENT(SYSCALL_ENTRY) | UTRACE_EVENT(REAP)`;
 * bits that name no event are kept in hexadecimal.
 * @internal
 */
export function eventMaskName(mask: number): string {
  if (mask === 0) return '0';
  const parts: string[] = [];
  let rest = mask;
  for (const [name, bit] of EVENT_NAMES) {
    const value = 2 ** bit;
    if (Math.floor(rest / value) % 2 === 1) {
      parts.push(`UTRACE_EVENT(${name})`);
      rest -= value;
    }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join(' | ');
}

/**
 * A resume action as C writes it: `UTRACE_DETACH`; an unknown one stays a number.
 * @internal
 */
export function resumeActionName(action: number): string {
  return ACTION_NAMES[action] ?? String(action);
}

const CALL = /\b(utrace_[a-z_]+)\(([^()]*)\)( = (-?\d+))?/g;

/**
 * Rewrites one trace line with symbolic codes: the result of a `utrace_*` call
 * (`= -115` becomes `= -EINPROGRESS`), the event mask of `utrace_set_events` and
 * `utrace_set_events_sync` (`0x40` becomes `UTRACE_EVENT(SYSCALL_ENTRY)`), and the action of
 * `utrace_control` (`6` becomes `UTRACE_DETACH`). Other text is unchanged.
 * @internal
 */
export function symbolicTrace(text: string): string {
  return text.replace(CALL, (whole, call: string, args: string, result: string | undefined, ret: string | undefined) => {
    const list = args.split(', ');
    const last = list.length - 1;
    if (list.length === 3 && (call === 'utrace_set_events' || call === 'utrace_set_events_sync') && /^0x[0-9a-f]+$/.test(list[last]!)) {
      list[last] = eventMaskName(Number.parseInt(list[last]!.slice(2), 16));
    } else if (list.length === 3 && call === 'utrace_control' && /^\d+$/.test(list[last]!)) {
      list[last] = resumeActionName(Number(list[last]));
    }
    const shownResult = result === undefined || ret === undefined ? '' : ` = ${errnoName(Number(ret))}`;
    const rewritten = `${call}(${list.join(', ')})${shownResult}`;
    return whole === rewritten ? whole : rewritten;
  });
}
