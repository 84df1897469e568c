import { defineCommand } from "citty";
import { buildIdFlag } from "../flag-values.ts";
import { buildArg, commandContext, commonArgs, databaseArgs, memoryArg, selectArg, splitList } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "sync",
    description: "Load the current build's marts (or --build ID) into Postgres (binary COPY), keeping table identity",
  },
  args: {
    ...commonArgs,
    ...memoryArg,
    ...databaseArgs,
    ...selectArg,
    ...buildArg,
    incremental: {
      type: "boolean",
      description: "Upsert the tables declared `sync: incremental` in their yml instead of a full refresh",
    },
    "allow-recreate": {
      type: "boolean",
      description: "Drop and recreate a table whose columns were dropped or retyped",
    },
    verify: { type: "boolean", description: "Compare per-column checksums between DuckDB and Postgres" },
    "lock-timeout": {
      type: "string",
      description: "Seconds to wait for another sync of the schema, or for readers, before refusing (default 60)",
    },
    "allow-empty": { type: "boolean", description: "Publish a mart that came out empty while Postgres has rows" },
    "publish-pii": {
      type: "boolean",
      description: "Also publish PII columns in clear, in a separate schema readable only by warehouse.pii.role",
    },
  },
  async run({ args }) {
    const buildId = buildIdFlag(args);
    const { runSync } = await import("../stages/sync-stage.ts");
    await runSync(await commandContext(args), {
      buildId,
      select: splitList(args.select),
      incremental: args.incremental,
      allowRecreate: args["allow-recreate"],
      verify: args.verify,
      allowEmpty: args["allow-empty"],
    });
  },
});
