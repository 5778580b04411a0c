/**
 * Typed stand-ins shared by the type tests. They are declared, never built: the tests are
 * only type-checked, never run.
 */
import type {
  any_engine,
  callback_engine,
  state_of,
  task_struct,
  utrace_engine,
} from 'utrace';

/** The traced task. */
export declare const task: task_struct;

/** The tracer's data behind each engine. */
export interface counts {
  n: number;
}

/** One handle per lifecycle state. */
export declare const attached: utrace_engine<'attached', counts>;
export declare const eventsCleared: utrace_engine<'events-cleared', counts>;
export declare const detached: utrace_engine<'detached', counts>;
export declare const rcuOnly: utrace_engine<'rcu-only', counts>;
export declare const inCallback: callback_engine<counts>;

/** A handle whose state the compiler does not know (every state is possible). */
export declare const unknownState: utrace_engine;

/** The lifecycle state the compiler gives `engine`. */
export declare function stateOf<E extends any_engine>(engine: E): state_of<E>;

/** The type of the engine parameter of an engine call, as the compiler reports it. */
export declare function engineParameter<F extends (target: task_struct, engine: never, ...rest: never[]) => unknown>(
  call: F,
): Parameters<F>[1];

/** The type of the engine parameter of `utrace_engine_get` / `utrace_engine_put`. */
export declare function onlyParameter<F extends (engine: never) => unknown>(call: F): Parameters<F>[0];
