// @ts-check
/**
 * A TypeDoc plugin: the guides in docs/ link an API name to the source file that defines it,
 * as [`utrace_barrier`](../src/api/utrace_barrier.ts), which a code host renders as a link
 * to the file. On the documentation site, such a link goes to the name's API page instead.
 */
import { PageEvent } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    const router = app.renderer.router;
    if (page.contents === undefined || router === undefined) return;
    /** @type {Map<string, import('typedoc').Reflection>} */
    const targets = new Map();
    // The main module first, so that a name both modules export goes to its page there.
    const modules = [...(page.project.children ?? [])].sort((a, b) => (a.name === 'utrace' ? -1 : b.name === 'utrace' ? 1 : 0));
    for (const module of modules) {
      for (const child of module.children ?? []) {
        if (router.hasUrl(child) && !targets.has(child.name)) targets.set(child.name, child);
      }
    }
    page.contents = page.contents.replace(/<a href="(?:\.\.\/)*media\/[\w.-]+\.ts"><code>([\w$]+)<\/code><\/a>/g, (whole, name) => {
      const target = targets.get(name);
      return target === undefined ? whole : `<a href="${router.relativeUrl(page.model, target)}"><code>${name}</code></a>`;
    });
  });
}
