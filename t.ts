import { withDuckdb, queryRows } from "./cli/core/duckdb.ts";
await withDuckdb({}, async (c) => {
  console.log(await queryRows(c, "select count(*) n, sum(hash(t))::varchar h from (select range a, 'x' b from range(10)) t"));
});
