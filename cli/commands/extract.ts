import { defineCommand } from "citty";
import { asOfArg, commandContext, commonArgs, memoryArg, sourceArgs } from "../shared-args.ts";

export default defineCommand({
  meta: { name: "extract", description: "Land raw data from the sources as Parquet under data/raw/<source>/" },
  args: { ...commonArgs, ...asOfArg, ...memoryArg, ...sourceArgs },
  async run({ args }) {
    const context = await commandContext(args);
    const { landingSources } = await import("../source-list.ts");
    // With no --source, the shop source of this data dir, as run and transform choose it: configured explicitly,
    // else the one extracted last, else the default (a plain extract after extract --source files re-reads the export).
    const { chooseShopSource, describeShopSource } = await import("../core/shop-source.ts");
    const shop = chooseShopSource(context.config, context.paths);
    const sources = landingSources(context.config, args, true, shop.source);
    if (args["source"] === undefined) context.logger.info(describeShopSource(shop, context.config));
    const { runExtract } = await import("../stages/extract-stage.ts");
    await runExtract(context, { sources, fullRefresh: args["full-refresh"] });
  },
});
