/**
 * The ERR_PTR idiom at the type level.
 * @packageDocumentation
 */

/**
 * An error value returned where a pointer was expected; `E` is the negative errno.
 * Test with `IS_ERR`, read with `PTR_ERR`.
 * @public
 * @category Lifecycle types
 */
export interface err_ptr<E extends number> {
  /** The negative errno. */
  readonly err_ptr: E;
}
