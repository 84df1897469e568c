import { defineCommand } from "citty";
import { commandContext, commonArgs, databaseArgs, memoryArg, selectArg, splitList } from "../shared-args.ts";

export default defineCommand({
  meta: {
    name: "sync",
    description: "Load the marts into Postgres (Arrow batches -> COPY), keeping table identity for Metabase",
  },
  args: {
    ...commonArgs,
    ...memoryArg,
    ...databaseArgs,
    ...selectArg,
    incremental: {
      type: "boolean",
      description: "Upsert the tables declared `sync: incremental` in their yml instead of a full refresh",
    },
    "allow-recreate": {
      type: "boolean",
      description: "Drop and recreate a table whose columns were dropped or retyped",
    },
    verify: { type: "boolean", description: "Compare per-column checksums between DuckDB and Postgres" },
  },
  async run({ args }) {
    const { runSync } = await import("../stages/sync-stage.ts");
    await runSync(await commandContext(args), {
      select: splitList(args.select),
      incremental: args.incremental,
      allowRecreate: args["allow-recreate"],
      verify: args.verify,
    });
  },
});
