import { defineCommand } from "citty";
import { asOfArg, commandContext, commonArgs, memoryArg, sourceArgs } from "../shared-args.ts";

export default defineCommand({
  meta: { name: "extract", description: "Land raw data from the sources as Parquet under data/raw/<source>/" },
  args: { ...commonArgs, ...asOfArg, ...memoryArg, ...sourceArgs },
  async run({ args }) {
    const context = await commandContext(args);
    const { landingSources } = await import("../source-list.ts");
    const sources = landingSources(context.config, args);
    const { runExtract } = await import("../stages/extract-stage.ts");
    await runExtract(context, { sources, fullRefresh: args["full-refresh"] });
  },
});
