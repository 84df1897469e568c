import { defineCommand } from "citty";
import { commandContext, commonArgs, selectArg, splitList } from "../shared-args.ts";
import { runTransform } from "../stages/transform-stage.ts";

export default defineCommand({
  meta: {
    name: "transform",
    description: "Run the SQL models (staging, intermediate, marts) and write data/marts/*.parquet",
  },
  args: { ...commonArgs, ...selectArg },
  async run({ args }) {
    await runTransform(await commandContext(args), { select: splitList(args.select) });
  },
});
