import { defineCommand } from "citty";
import { buildIdFlag } from "../flag-values.ts";
import { buildArg, commandContext, commonArgs, memoryArg, selectArg, splitList } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "test",
    description: "Run the data tests declared in the models' yml against the current build (or --build ID)",
  },
  args: {
    ...commonArgs,
    ...memoryArg,
    ...selectArg,
    ...buildArg,
    verbose: { type: "boolean", description: "List every data test, not only the counts and the failures" },
  },
  async run({ args }) {
    const buildId = buildIdFlag(args);
    const { runDataTests } = await import("../stages/transform-stage.ts");
    await runDataTests(await commandContext(args), { select: splitList(args.select), verbose: args.verbose, buildId });
  },
});
