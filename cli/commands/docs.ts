import { defineCommand } from "citty";
import { commandContext, commonArgs, memoryArg } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "docs",
    description: "Write data/catalog.json: models, columns, descriptions, tags, tests and lineage",
  },
  args: { ...commonArgs, ...memoryArg },
  async run({ args }) {
    const { runDocs } = await import("../stages/transform-stage.ts");
    await runDocs(await commandContext(args));
  },
});
