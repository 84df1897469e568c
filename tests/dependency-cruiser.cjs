/* global module */
// The one-way architecture, enforced in `npm test` (npm run lint:deps). See README, "Architecture".
// Data flows extract -> transforms -> export -> observable; cli/ drives them; cli/core/ is the ground floor.
const stages = ["extract", "transforms", "export", "observable"];
const otherStages = (stage) => `^(${stages.filter((s) => s !== stage).join("|")})/`;

module.exports = {
  forbidden: [
    {
      name: "core-is-the-ground-floor",
      comment: "cli/core/ imports no stage and nothing else in cli/.",
      severity: "error",
      from: { path: "^cli/core/" },
      to: { path: "^(extract|transforms|export|observable)/|^cli/(?!core/)" },
    },
    {
      name: "stages-import-only-core",
      comment: "A stage may use cli/core/ (the shared contracts), never commands, stages or the pipeline.",
      severity: "error",
      from: { path: "^(extract|transforms|export|observable)/" },
      to: { path: "^cli/(?!core/)" },
    },
    ...stages.map((stage) => ({
      name: `${stage}-imports-no-other-stage`,
      comment: "Stages talk through typed contracts in cli/core/contracts, never by importing each other.",
      severity: "error",
      from: { path: `^${stage}/` },
      to: { path: otherStages(stage) },
    })),
    {
      name: "generic-landing-knows-no-source",
      comment: "extract/landing is shared by every source; sources plug in through its contracts.",
      severity: "error",
      from: { path: "^extract/landing/" },
      to: { path: "^extract/sources/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: {
        circular: true,
        dependencyTypes: ["local", "localmodule", "aliased"],
        viaOnly: { dependencyTypesNot: ["type-only"] },
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: {
      path: "node_modules|cli/\\.build|observable/dist|observable/\\.observablehq|observable/src/\\.observablehq",
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs"] },
  },
};
