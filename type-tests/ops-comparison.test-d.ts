/**
 * `engine.ops` compares with any ops table, as real engines compare `engine->ops` with their
 * own ops (`WARN_ON(engine->ops != &ptrace_utrace_ops)`) whatever the claims of the two; it
 * still compares with nothing that is not ops. Passing `engine.ops` back to an attach keeps
 * the detach inference: the state still comes from the ops' own claim.
 */
import { expectType } from 'tsd';
import {
  IS_ERR,
  Kernel,
  UTRACE_ATTACH_CREATE,
  UTRACE_ATTACH_MATCH_OPS,
  UTRACE_DETACH,
  UTRACE_RESUME,
  defineOps,
  sys,
  utrace_attach_task,
  utrace_detach_sync,
  utrace_engine_put,
} from 'utrace';
import type { utrace_engine } from 'utrace';

const kernel = new Kernel();
const target = kernel.spawn('traced', [sys(1)]);
const mayDetach = defineOps({ report_exec: () => UTRACE_DETACH }, 'may-detach');
const quiet = defineOps({ report_exec: () => UTRACE_RESUME });

const found = utrace_attach_task(target, UTRACE_ATTACH_MATCH_OPS, mayDetach, null);
if (!IS_ERR(found)) {
  // Right use: compare with its own ops and with ops of another claim.
  if (found.ops === mayDetach) utrace_engine_put(found);
  else if (found.ops !== quiet) utrace_engine_put(found);
  // @ts-expect-error engine.ops is an ops table: it compares with no number
  void (found.ops === 3);
  // @ts-expect-error engine.ops is an ops table: it compares with no string
  void (found.ops === 'ptrace');
  // Passed back to a CREATE attach, the ops' claim still decides: may-detach ops give rcu-only.
  const again = utrace_attach_task(target, UTRACE_ATTACH_CREATE, found.ops, null);
  if (!IS_ERR(again)) {
    const sync = async () => {
      // @ts-expect-error the engine may be detached by report_exec: it is rcu-only
      await utrace_detach_sync(target, again);
    };
    void sync;
  }
}
const quietOne = utrace_attach_task(target, UTRACE_ATTACH_CREATE, quiet, null);
if (!IS_ERR(quietOne)) {
  expectType<utrace_engine<'attached', null, typeof quiet>>(quietOne);
  if (quietOne.ops === mayDetach) utrace_engine_put(quietOne);
}
