import { defineCommand } from "citty";
import { commandContext, commonArgs } from "../shared-args.ts";
import { runDocs } from "../stages/transform-stage.ts";

export default defineCommand({
  meta: {
    name: "docs",
    description: "Write data/catalog.json: models, columns, descriptions, tags, tests and lineage",
  },
  args: { ...commonArgs },
  async run({ args }) {
    await runDocs(await commandContext(args));
  },
});
