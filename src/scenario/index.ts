/**
 * The scenario DSL: {@link defineScenario} to write a scenario, {@link scenarioExecute} to
 * run it under a scheduler, {@link attachEach} to attach a global engine in set-up code.
 *
 * @packageDocumentation
 */
export { defineScenario, isScenario, type Scenario, type ScenarioExpectation, type ScenarioSpec } from './scenario.js';
export { scenarioExecute, ScenarioBuildError, type ScenarioExecuteOptions } from './execute.js';
export { attachEach } from './attach-each.js';
