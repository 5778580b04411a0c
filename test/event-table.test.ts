/**
 * The event table (`types/event-table.ts`, and `UTRACE_CALLBACKS` at run time) is the one list of
 * callbacks and events: the lists derived from it agree with it and with each other. (The type
 * table and the lists derived from it in types/ are checked by type tests.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  _UTRACE_DEATH_EVENTS,
  _UTRACE_NEVENTS,
  defineOps,
  UTRACE_EVENT,
  UTRACE_EVENT_ALL,
  UTRACE_EVENT_INDEX,
  UTRACE_EVENT_SIGNAL_ALL,
  UTRACE_EVENT_SYSCALL,
  UtraceUsageError,
} from '../src/index.js';
import { CALLBACK_NAMES, UTRACE_CALLBACKS } from '../src/constants/callbacks.js';
import { ENGINE_STOP } from '../src/kernel/engine.js';

const events = Object.keys(UTRACE_EVENT_INDEX) as (keyof typeof UTRACE_EVENT_INDEX)[];
const rows = Object.entries(UTRACE_CALLBACKS);
const mask = (names: readonly string[]): number => names.reduce((m, n) => m | UTRACE_EVENT(n as never), 0);

describe('the event table', () => {
  it('lists the callbacks of struct utrace_engine_ops in utrace.h order', () => {
    assert.deepEqual(CALLBACK_NAMES, [
      'report_quiesce',
      'report_signal',
      'report_clone',
      'report_jctl',
      'report_exec',
      'report_syscall_entry',
      'report_syscall_exit',
      'report_exit',
      'report_death',
      'report_reap',
      'release',
    ]);
  });

  it('gives every event exactly one row, and the bits are 0 .. _UTRACE_NEVENTS - 1', () => {
    for (const name of events) {
      const owners = rows.filter(([, row]) => (row.events as readonly string[]).includes(name)).map(([k]) => k);
      assert.equal(owners.length, 1, `${name} is made by ${owners.join(', ') || 'no callback'}`);
    }
    assert.equal(rows.flatMap(([, row]) => row.events).length, events.length);
    assert.equal(events.length, _UTRACE_NEVENTS);
    assert.deepEqual(events.map((n) => UTRACE_EVENT_INDEX[n]).sort((a, b) => a - b), [...Array(_UTRACE_NEVENTS).keys()]);
  });

  it('derives the masks and ENGINE_STOP', () => {
    assert.equal(UTRACE_EVENT_ALL, mask(events));
    assert.equal(UTRACE_EVENT_ALL, 2 ** _UTRACE_NEVENTS - 1);
    assert.equal(ENGINE_STOP, 2 ** _UTRACE_NEVENTS, 'ENGINE_STOP is the bit past the events');
    assert.equal(UTRACE_EVENT_SIGNAL_ALL, mask(UTRACE_CALLBACKS.report_signal.events));
    assert.equal(UTRACE_EVENT_SYSCALL, mask([...UTRACE_CALLBACKS.report_syscall_entry.events, ...UTRACE_CALLBACKS.report_syscall_exit.events]));
    assert.equal(_UTRACE_DEATH_EVENTS, mask([...UTRACE_CALLBACKS.report_death.events, ...UTRACE_CALLBACKS.report_quiesce.events]));
  });

  it('is what defineOps accepts: each row a member, nothing else a callback', () => {
    for (const name of CALLBACK_NAMES) {
      assert.doesNotThrow(() => defineOps({ [name]: () => undefined } as never), name);
    }
    assert.throws(() => defineOps({ report_vfork: () => 0 } as never), (e: unknown) => e instanceof UtraceUsageError && /report_quiesce, report_signal, .*release, owner, percpu_counters/.test(e.message));
  });

  it('says which callbacks may detach the way rule 3 is about: those that return a resume action, but report_death', () => {
    const may = rows.filter(([, row]) => row.detach === 'may').map(([k]) => k);
    assert.deepEqual(may, CALLBACK_NAMES.filter((n) => n !== 'report_death' && n !== 'report_reap' && n !== 'release'));
  });
});
