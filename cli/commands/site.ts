import { defineCommand } from "citty";
import { numberFlag } from "../flag-values.ts";
import { commandContext, commonArgs, memoryArg } from "../shared-args.ts";

const build = defineCommand({
  meta: {
    name: "build",
    description: "Build the static dashboard site into observable/dist, or DUCKMART_SITE_DIR (offline)",
  },
  args: { ...commonArgs, ...memoryArg },
  async run({ args }) {
    const { buildSite } = await import("../../observable/build-site.ts");
    await buildSite(await commandContext(args));
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
