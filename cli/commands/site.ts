import { defineCommand } from "citty";
import { buildIdFlag, numberFlag } from "../flag-values.ts";
import { buildArg, commandContext, commonArgs, memoryArg } from "../shared-args.ts";

const build = defineCommand({
  meta: {
    name: "build",
    description:
      "Build the static dashboard site from the current build (or --build ID) into observable/dist, or DUCKMART_SITE_DIR",
  },
  args: { ...commonArgs, ...memoryArg, ...buildArg },
  async run({ args }) {
    const buildId = buildIdFlag(args);
    const { buildSite } = await import("../../observable/build-site.ts");
    const { withDataLock } = await import("../core/with-lock.ts");
    const context = await commandContext(args);
    await withDataLock(context, "site build", () => buildSite(context, { buildId }));
  },
});

const dev = defineCommand({
  meta: { name: "dev", description: "Serve the site with live reload (Observable Framework preview)" },
  args: { ...commonArgs, ...memoryArg, port: { type: "string", description: "Port, 1-65535 (default 3000)" } },
  async run({ args }) {
    const port = numberFlag(args, "port", { min: 1, max: 65_535, integer: true });
    const context = await commandContext(args);
    const { devSite } = await import("../../observable/build-site.ts");
    await devSite(context, { port });
  },
});

export default defineCommand({
  meta: { name: "site", description: "Build or serve the dashboards" },
  subCommands: { build: () => Promise.resolve(build), dev: () => Promise.resolve(dev) },
});
