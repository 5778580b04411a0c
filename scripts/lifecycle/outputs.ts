/**
 * The generated lifecycle files and their expected contents, for the generator
 * (`scripts/diagram.ts`) and for the test that checks the committed files are up to date.
 * @packageDocumentation
 */
import { renderLifecycleSvg } from './render-svg.js';
import { renderLifecycleMarkdown } from './render-text.js';
import { lifecycleNodes, lifecycleTransitions } from './transitions.js';

/** A generated file: its path from the repository root and its contents. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Every file generated from the lifecycle table. */
export function lifecycleOutputs(): GeneratedFile[] {
  return [
    { path: 'docs/assets/lifecycle.svg', content: renderLifecycleSvg(lifecycleNodes, lifecycleTransitions) },
    {
      path: 'docs/assets/lifecycle-transitions.md',
      content: renderLifecycleMarkdown(lifecycleNodes, lifecycleTransitions),
    },
  ];
}
