/**
 * A lookup (no `UTRACE_ATTACH_CREATE`) that does not match on data ignores its data argument:
 * real engines pass `NULL` (ptrace's `ptrace_lookup_engine`, SystemTap's `stap_utrace_detach`).
 * It takes `null` whatever data the ops read, and the engine it finds carries the ops' data
 * type, since that engine was made with these ops. A CREATE, or a lookup on data, still takes
 * only data of the ops' type.
 */
import { expectType } from 'tsd';
import {
  IS_ERR,
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_MATCH_DATA,
  UTRACE_ATTACH_MATCH_OPS,
  UTRACE_DETACH,
  UTRACE_RESUME,
  defineOps,
  sys,
  utrace_attach_task,
  utrace_barrier,
  utrace_engine_put,
} from 'utrace';
import type { KBox, callback_engine, utrace_engine } from 'utrace';

interface Ctx {
  resume: 5 | 6;
}
const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1)]);
const ctx = kernel.kmalloc<Ctx>('ctx', { resume: UTRACE_RESUME });
const ops = defineOps(
  { report_quiesce: (_action: number, engine: callback_engine<KBox<Ctx>>) => engine.data.value.resume },
  'may-detach',
);
const quiet = defineOps({ report_exec: (_action: number, _engine: callback_engine<KBox<Ctx>>) => UTRACE_RESUME });

// Right use: a lookup on ops passes null, and reads the engine's data as the ops' type.
const found = utrace_attach_task(target, UTRACE_ATTACH_MATCH_OPS, ops, null);
if (!IS_ERR(found)) {
  expectType<utrace_engine<'attached', KBox<Ctx>, typeof ops>>(found);
  found.data.value.resume = UTRACE_DETACH;
  void utrace_barrier(target, found);
  utrace_engine_put(found);
}
const foundQuiet = utrace_attach_task(target, UTRACE_ATTACH_MATCH_OPS, quiet, null);
if (!IS_ERR(foundQuiet)) expectType<KBox<Ctx>>(foundQuiet.data);
// Passing the data anyway still compiles, and gives the same engine type.
const foundWithData = utrace_attach_task(target, UTRACE_ATTACH_MATCH_OPS, ops, ctx);
if (!IS_ERR(foundWithData)) expectType<utrace_engine<'attached', KBox<Ctx>, typeof ops>>(foundWithData);

// Misuse still rejected.
// @ts-expect-error a CREATE attach uses its data: null is not the ops' data type
utrace_attach_task(target, UTRACE_ATTACH_CREATE, ops, null);
// @ts-expect-error a lookup on data compares the data: it must be of the ops' data type
utrace_attach_task(target, UTRACE_ATTACH_MATCH_DATA, ops, null);
// @ts-expect-error a lookup that ignores data still takes only null or the ops' data type
utrace_attach_task(target, UTRACE_ATTACH_MATCH_OPS, ops, 'text');
if (!IS_ERR(found)) {
  // @ts-expect-error the found engine's data is the ops' type: no field of another type
  found.data.value.resume = 'soon';
}
