/**
 * utrace/explore: the explorer over the kernel simulation of `utrace`.
 *
 * Schedulers that steer or replay an interleaving (PCT, replay, schedule strings), the
 * explorer that runs an execution under many interleavings (exhaustive under a preemption
 * bound, random, PCT), counterexample shortening, timeline rendering (text and SVG), and the
 * scenario DSL with its runner. The kernel, the API and the basic schedulers are in `utrace`.
 * @packageDocumentation
 * @module utrace/explore
 */
export { PctScheduler } from '../sched/pct.js';
export { ReplayScheduler, ScheduleDivergedError } from '../sched/replay.js';
export {
  encodeSchedule, decodeSchedule, ScheduleFormatError, SCHEDULE_STRING_PREFIX, MAX_SCHEDULE_THREAD_ID, MAX_SCHEDULE_STEPS,
} from '../sched/schedule-string.js';

export {
  explore, type ExploreOptions, type ExploreProgress, type ExploreResult, type ExploreSummary, type ExploreFailed,
  type ExploreExhausted, type ExploreLimited,
} from './explore.js';
export {
  makeStrategy, DEFAULT_DFS_BOUND, DEFAULT_PCT_DEPTH, DEFAULT_PCT_EXPECTED_STEPS, type Strategy, type StrategyName,
  type StrategyOptions, type StrategyOptionsByName,
} from './strategy.js';
export type { DfsStrategyOptions } from './strategies/dfs.js';
export type { RandomStrategyOptions } from './strategies/random.js';
export type { PctStrategyOptions } from './strategies/pct.js';
export type { ReplayStrategyOptions } from './strategies/replay.js';
export type { StatefulStrategyOptions } from './strategies/stateful.js';
export { DfsStrategy, type DfsCheckpoint } from './dfs.js';
export { StatefulStrategy, DEFAULT_MAX_STATES, type StateCounts } from './stateful.js';
export {
  exploreInWorkers, shardResult, mergeShards, DEFAULT_RUN_BUDGET_MS, type WorkerExploreOptions, type ShardResult, type ShardIndex, type ShardFailure,
} from './workers.js';
export { prefixStrategy } from './prefix.js';
export { resumableStrategy, type ResumableStrategy, type SearchCheckpoint, type RandomCheckpoint } from './resume.js';
export { assertScenario, ScenarioAssertionError, type AssertScenarioOptions } from './assert-scenario.js';
export { loadFailure, saveFailure, loadCheckpoint, saveCheckpoint, type SavedFailure, type SavedCheckpoint } from './persist.js';
export {
  shorten, GuidedScheduler, DEFAULT_SHORTEN_BUDGET, DEFAULT_SHORTEN_STEP_BUDGET, type ShortenOptions, type ShortenResult,
} from './shorten.js';
export { renderTimelineText, FAILURE_MARKER, RELATED_MARKER, PREEMPTION_MARKER, type TimelineTextOptions } from './timeline-text.js';
export { renderTimelineSvg, type TimelineSvgOptions } from './timeline-svg.js';
export {
  runScenario, verdictOf, type RunScenarioOptions, type ScenarioReport, type ScenarioVerdict, type Counterexample,
} from './run-scenario.js';

export {
  defineScenario, isScenario, scenarioExecute, ScenarioBuildError, attachEach, type Scenario, type ScenarioSpec,
  type ScenarioExpectation, type ScenarioExecuteOptions,
} from '../scenario/index.js';
