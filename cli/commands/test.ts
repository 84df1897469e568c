import { defineCommand } from "citty";
import { commandContext, commonArgs, selectArg, splitList } from "../shared-args.ts";
import { runDataTests } from "../stages/transform-stage.ts";

export default defineCommand({
  meta: { name: "test", description: "Run the data tests declared in the models' yml against the built marts" },
  args: { ...commonArgs, ...selectArg },
  async run({ args }) {
    await runDataTests(await commandContext(args), { select: splitList(args.select) });
  },
});
