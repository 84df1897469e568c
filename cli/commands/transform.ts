import { defineCommand } from "citty";
import { acceptRowDropArg, commandContext, commonArgs, memoryArg, selectArg, splitList } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "transform",
    description:
      "Build the SQL models into a new build, test it, and make it current (data/marts) when every error-severity check passes; as of the day the landed data is for (set it with extract --as-of)",
  },
  args: {
    ...commonArgs,
    ...memoryArg,
    ...selectArg,
    ...acceptRowDropArg,
    "full-refresh": {
      type: "boolean",
      description:
        "Rebuild the snapshots' history from every retained raw snapshot, in as-of order (older history is kept)",
    },
  },
  async run({ args }) {
    const acceptRowDrop = await (await import("../select-check.ts")).acceptRowDropFlag(args["accept-row-drop"]);
    const { runTransform } = await import("../stages/transform-stage.ts");
    await runTransform(await commandContext(args), {
      select: splitList(args.select),
      fullRefresh: args["full-refresh"],
      acceptRowDrop,
    });
  },
});
