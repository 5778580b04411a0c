/**
 * Modules and per-CPU counters: what makes module unload safe for global engines.
 * @packageDocumentation
 */

/**
 * A loadable module: owns the code of the ops that name it as `owner`.
 * @public
 * @category Lifecycle types
 */
export interface module_struct {
  /** Module name. */
  readonly name: string;
  /** `'live'`, `'going'` while an unload waits, `'unloaded'` after. */
  readonly state: 'live' | 'going' | 'unloaded';
}

/**
 * A per-CPU counter vector that the kernel increments before every callback of the
 * engines whose ops name it, and decrements after (Frank Eigler's proposal). Its sum is the
 * number of callbacks in progress.
 * @public
 * @category Lifecycle types
 */
export interface percpu_counters {
  /** Number of CPUs, one counter pair each. */
  readonly nr_cpus: number;
  /** Callbacks in progress: the sum over CPUs of increments minus decrements. */
  sum(): number;
}
