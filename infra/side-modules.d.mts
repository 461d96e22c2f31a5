/** Types of side-modules.mjs (plain JavaScript, so NodejsFunction's hook can run it with `node`). */
export declare function buildSideModules(
  projectRoot: string,
  outputDir: string,
  modules: readonly string[],
): Record<string, number>;
