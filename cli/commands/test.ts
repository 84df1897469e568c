import { defineCommand } from "citty";
import { commandContext, commonArgs, memoryArg, selectArg, splitList } from "../shared-args.ts";

export default defineCommand({
  meta: { name: "test", description: "Run the data tests declared in the models' yml against the built marts" },
  args: {
    ...commonArgs,
    ...memoryArg,
    ...selectArg,
    verbose: { type: "boolean", description: "List every data test, not only the counts and the failures" },
  },
  async run({ args }) {
    const { runDataTests } = await import("../stages/transform-stage.ts");
    await runDataTests(await commandContext(args), { select: splitList(args.select), verbose: args.verbose });
  },
});
