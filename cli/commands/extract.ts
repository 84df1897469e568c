import { defineCommand } from "citty";
import { commandContext, commonArgs, sourceArgs, splitList } from "../shared-args.ts";
import { runExtract } from "../stages/extract-stage.ts";

export default defineCommand({
  meta: { name: "extract", description: "Land raw data from a source as Parquet under data/raw/<source>/" },
  args: { ...commonArgs, ...sourceArgs },
  async run({ args }) {
    const context = await commandContext(args);
    await runExtract(context, { sources: splitList(args.source), fullRefresh: args["full-refresh"] });
  },
});
