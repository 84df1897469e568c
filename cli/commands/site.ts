import { defineCommand } from "citty";
import { commandContext, commonArgs } from "../shared-args.ts";

const build = defineCommand({
  meta: { name: "build", description: "Build the static dashboard site into observable/dist (offline)" },
  args: { ...commonArgs },
  async run({ args }) {
    const { buildSite } = await import("../../observable/build-site.ts");
    await buildSite(await commandContext(args));
  },
});

const dev = defineCommand({
  meta: { name: "dev", description: "Serve the site with live reload (Observable Framework preview)" },
  args: { ...commonArgs, port: { type: "string", description: "Port (default 3000)" } },
  async run({ args }) {
    const { devSite } = await import("../../observable/build-site.ts");
    await devSite(await commandContext(args), { port: args.port ? Number(args.port) : undefined });
  },
});

export default defineCommand({
  meta: { name: "site", description: "Build or serve the dashboards" },
  subCommands: { build: () => Promise.resolve(build), dev: () => Promise.resolve(dev) },
});
