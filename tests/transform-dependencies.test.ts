import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withDuckdb } from "../cli/core/duckdb.ts";
import { referencedTables } from "../transforms/engine/dependencies.ts";
import { buildGraph } from "../transforms/engine/graph.ts";
import { loadProject } from "../transforms/engine/project.ts";

const refs = (sql: string) => withDuckdb({}, (c) => referencedTables(c, sql, "m"));

describe("CTE scoping in the dependency parser", () => {
  it("a CTE named like a table reads that table in its own body and hides it after", async () => {
    expect(
      await refs(`
        with currencies as (select * from currencies),
        final as (select * from orders left join currencies using (currency))
        select * from final`),
    ).toEqual(["currencies", "orders"]);
  });

  it("a CTE is not visible to the CTEs before it, nor outside its WITH", async () => {
    // `a` in the first CTE is the table a; in the nested query, `b` is in scope only inside its own WITH.
    expect(await refs("with x as (select * from a), a as (select 1) select * from x, a")).toEqual(["a"]);
    expect(await refs("select * from (with b as (select 1) select * from b) s, b")).toEqual(["b"]);
    expect(await refs("with b as (select 1) select * from (select * from b) s")).toEqual([]);
  });

  it("a nested WITH shadows the outer one only inside, and a schema-qualified name is always a table", async () => {
    expect(await refs("with t as (select 1) select * from (with t as (select * from t) select * from t) s")).toEqual(
      [],
    );
    expect(await refs("with t as (select 1) select * from main.t")).toEqual(["t"]);
    expect(await refs("with t as (select 1) select * from u where exists (select * from t)")).toEqual(["u"]);
  });

  it("a recursive CTE reads itself, not a table of the same name", async () => {
    expect(
      await refs("with recursive n as (select 1 as i union all select i + 1 from n where i < 3) select * from n"),
    ).toEqual([]);
  });

  it("the stg_stripe models read the currencies seed", async () => {
    const project = await loadProject();
    await withDuckdb({}, async (c) => {
      for (const name of [
        "stg_stripe_charges",
        "stg_stripe_refunds",
        "stg_stripe_invoices",
        "stg_stripe_invoice_lines",
      ])
        expect(await referencedTables(c, project.models.get(name)!.sql, name)).toContain("currencies");
    });
  });
});

describe("build order with a model named like a CTE", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("orders the model before the one whose CTE of the same name reads it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "duckmart-cte-"));
    dirs.push(dir);
    await mkdir(join(dir, "models", "staging"), { recursive: true });
    const models = {
      // Sorts first alphabetically, so only the dependency puts it after "summary".
      a_report: "with summary as (select * from summary) select * from summary",
      summary: "select 1 as summary_id",
    };
    for (const [name, sql] of Object.entries(models))
      await writeFile(join(dir, "models", "staging", `${name}.sql`), sql);
    const project = await loadProject(dir);
    await withDuckdb({}, async (c) => {
      const graph = await buildGraph(c, project, []);
      expect(graph.deps.get("a_report")).toEqual(["summary"]);
      expect(graph.order).toEqual(["summary", "a_report"]);
    });
  });
});
