/**
 * The frontier of the earliest-first exhaustive search: the tree of scheduling points the
 * runs so far have met, with the choices not yet tried at each, kept so that the untried
 * choice at the smallest step comes out first.
 *
 * @packageDocumentation
 */

const INITIAL_NODES = 1024;
const INITIAL_STEPS = 64;

/**
 * A tree of choice nodes, one per scheduling point met by some run, with the choices still to
 * be tried at each. A node stands for the point reached by one schedule prefix: it knows its
 * parent (the point one step earlier on that prefix), which choice at the parent led to it,
 * how many choices it allows, the fingerprint of the runnable set met there, and the next
 * choice still to try.
 *
 * Prefixes are shared: a node is stored once, whatever the number of runs through it, and a
 * choice still to try costs no more than the node that holds it. Memory is 24 bytes per node
 * (six 32-bit fields in growable typed arrays), proportional to the nodes added; nothing is
 * ever removed, and nothing is recursive.
 *
 * Order: {@link ChoiceTree.take} hands out the untried choices by ascending step of their node
 * (earliest divergence first); among nodes of one step, in the order the nodes were added; at
 * one node, in ascending choice order. Every choice added is handed out exactly once. A node
 * may be added only at a step after the step of the last choice taken (which holds for the
 * nodes of a run that diverged there), so the step of the choices handed out never decreases.
 * @internal
 */
export class ChoiceTree {
  #parent = new Int32Array(INITIAL_NODES);
  #via = new Int32Array(INITIAL_NODES);
  #allowed = new Int32Array(INITIAL_NODES);
  #fingerprint = new Int32Array(INITIAL_NODES);
  /** Next untried choice of a node in the queue of its step. */
  #next = new Int32Array(INITIAL_NODES);
  /** The node after this one in the queue of its step, or -1. */
  #link = new Int32Array(INITIAL_NODES);
  #size = 0;
  /** First and last node of each step's queue of nodes with untried choices, or -1. */
  #head = new Int32Array(INITIAL_STEPS).fill(-1);
  #tail = new Int32Array(INITIAL_STEPS).fill(-1);
  /** No queue below this step holds a node. */
  #cursor = 0;

  /** Node of the choice last handed out by {@link ChoiceTree.take}. */
  takenNode = -1;
  /** Step of that node. */
  takenStep = -1;
  /** The choice handed out. */
  takenChoice = -1;

  /** Nodes added so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds the node for `step`, reached from `parent` (-1 at step 0) by choice `via` there.
   * Choices 1 to `allowed - 1` become untried; choice 0 is the one the adding run took.
   * @returns the node's id.
   * @throws RangeError if `step` is not after the step of the last choice taken.
   */
  add(step: number, parent: number, via: number, allowed: number, fingerprint: number): number {
    if (step < this.#cursor) throw new RangeError(`ChoiceTree.add: step ${step} is before the frontier at step ${this.#cursor}`);
    const node = this.#size;
    if (node === this.#parent.length) this.#growNodes();
    this.#parent[node] = parent;
    this.#via[node] = via;
    this.#allowed[node] = allowed;
    this.#fingerprint[node] = fingerprint;
    this.#next[node] = 1;
    this.#link[node] = -1;
    this.#size = node + 1;
    if (allowed > 1) {
      if (step >= this.#head.length) this.#growSteps(step + 1);
      const tail = this.#tail[step]!;
      if (tail < 0) this.#head[step] = node;
      else this.#link[tail] = node;
      this.#tail[step] = node;
    }
    return node;
  }

  /**
   * Hands out the next untried choice, in the order described on the class, and records it in
   * {@link ChoiceTree.takenNode}, {@link ChoiceTree.takenStep} and {@link ChoiceTree.takenChoice}.
   * @returns `false` when no choice is left untried.
   */
  take(): boolean {
    const head = this.#head;
    let step = this.#cursor;
    while (step < head.length && head[step]! < 0) step++;
    this.#cursor = step;
    if (step === head.length) return false;
    const node = head[step]!;
    const choice = this.#next[node]!;
    if (choice + 1 >= this.#allowed[node]!) {
      const after = this.#link[node]!;
      head[step] = after;
      if (after < 0) this.#tail[step] = -1;
    } else {
      this.#next[node] = choice + 1;
    }
    this.takenNode = node;
    this.takenStep = step;
    this.takenChoice = choice;
    return true;
  }

  /**
   * Writes the schedule prefix of a choice into trail arrays: for every step from 0 to
   * `step`, the choices allowed, the choice taken and the fingerprint, `choice` being taken at
   * `node` (the node of `step`) and, above it, the choice that leads to the next node down.
   * The arrays must hold at least `step + 1` entries.
   * @throws RangeError if `node` does not lie at `step`.
   */
  fillPath(node: number, step: number, choice: number, choices: Int32Array, chosen: Int32Array, fingerprint: Int32Array): void {
    let n = node;
    let s = step;
    let c = choice;
    while (n >= 0 && s >= 0) {
      choices[s] = this.#allowed[n]!;
      chosen[s] = c;
      fingerprint[s] = this.#fingerprint[n]!;
      c = this.#via[n]!;
      n = this.#parent[n]!;
      s--;
    }
    if (n >= 0 || s >= 0) throw new RangeError(`ChoiceTree.fillPath: node ${node} does not lie at step ${step}`);
  }

  #growNodes(): void {
    const size = this.#parent.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.#parent = grow(this.#parent);
    this.#via = grow(this.#via);
    this.#allowed = grow(this.#allowed);
    this.#fingerprint = grow(this.#fingerprint);
    this.#next = grow(this.#next);
    this.#link = grow(this.#link);
  }

  #growSteps(least: number): void {
    let size = this.#head.length * 2;
    while (size < least) size *= 2;
    const head = new Int32Array(size).fill(-1);
    head.set(this.#head);
    this.#head = head;
    const tail = new Int32Array(size).fill(-1);
    tail.set(this.#tail);
    this.#tail = tail;
  }
}
