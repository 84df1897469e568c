import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, withDuckdb } from "../cli/core/duckdb.ts";
import { projectFingerprint } from "../transforms/engine/fingerprint.ts";
import { defineMacros, macrosCalled } from "../transforms/engine/macros.ts";
import { defaultTransformsDir, loadProject } from "../transforms/engine/project.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A copy of the real project, to break one file at a time. */
async function copyProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-macros-"));
  dirs.push(dir);
  await cp(defaultTransformsDir, dir, { recursive: true });
  return dir;
}
const loadError = (dir: string) =>
  loadProject(dir).then(
    () => "loaded",
    (e: Error) => e.message,
  );

describe("project macros (transforms/macros/)", () => {
  it("compute what the models used to spell out, checked against hand-computed values", async () => {
    const project = await loadProject();
    expect([...project.macros.keys()].sort()).toEqual([
      "day_spine",
      "days_in_effect",
      "masked_name",
      "masked_words",
      "minor_to_major",
    ]);
    const rows = await withDuckdb({}, async (connection) => {
      await connection.run("set variable as_of = date '2026-11-26'");
      await defineMacros(connection, project.macros);
      return queryRows(
        connection,
        `select
            minor_to_major(1999, 2)::varchar as usd,
            minor_to_major(1999, 0)::varchar as jpy,
            minor_to_major(1999, 3)::varchar as kwd,
            minor_to_major(1999, null)::varchar as unknown,
            days_in_effect(date '2026-11-01', date '2026-11-08') as closed_days,
            days_in_effect(date '2026-11-20', null) as open_days,
            (select count(*) from day_spine(date '2026-10-30', date '2026-11-02')) as spine_days,
            (select min(spine_date)::varchar || '..' || max(spine_date)::varchar
                from day_spine(date '2026-10-30', date '2026-11-02')) as spine_range`,
      );
    });
    expect(rows[0]).toEqual({
      usd: "19.990",
      jpy: "1999.000",
      kwd: "1.999",
      unknown: "19.990",
      closed_days: 7,
      // Open up to the as-of day, which counts: Nov 20..26.
      open_days: 7,
      spine_days: 4,
      spine_range: "2026-10-30..2026-11-02",
    });
  });

  it("masked_name never shows a full name, an email or a phone", async () => {
    const project = await loadProject();
    const names = [
      ["Emily Johnson", "Emily J."],
      ["Ana Maria Silva", "Ana S."],
      ["Madonna", "M."],
      ["  madonna ", "M."],
      ["Smith, Anna", "Anna S."],
      ["O'Brien, Sean Patrick", "Sean O."],
      ["José Ñúñez", "José Ñ."],
      ["ana@example.com", "Customer 7"],
      ["Ana Silva ana@example.com", "Customer 7"],
      ["+1 617 555 0101", "Customer 7"],
      ["6175550101", "Customer 7"],
      ["---", "Customer 7"],
      ["", null],
      [null, null],
    ] as const;
    const rows = await withDuckdb({}, async (connection) => {
      await connection.run("set variable as_of = date '2026-11-26'");
      await defineMacros(connection, project.macros);
      return queryRows(
        connection,
        `select masked_name(name, 7) as shown
            from (values ${names.map((_, i) => `(${i}, cast(? as varchar))`).join(", ")}) t(i, name) order by i`,
        names.map(([name]) => name),
      );
    });
    expect(rows.map((r) => r["shown"])).toEqual(names.map(([, shown]) => shown));
  });

  it("are listed in the catalog per model that calls them", async () => {
    const project = await loadProject();
    expect(macrosCalled(project.models.get("daily_revenue")!.sql, project.macros)).toEqual(["day_spine"]);
    expect(macrosCalled(project.models.get("stg_stripe_invoices")!.sql, project.macros)).toEqual(["minor_to_major"]);
    expect(macrosCalled(project.models.get("fact_orders")!.sql, project.macros)).toEqual([]);
  });

  it("are part of the project fingerprint", async () => {
    const dir = await copyProject();
    const before = await projectFingerprint(await loadProject(dir));
    await writeFile(
      join(dir, "macros", "days_in_effect.sql"),
      "create or replace macro days_in_effect(valid_from, valid_to) as date_diff('day', valid_from, coalesce(valid_to, getvariable('as_of')))",
    );
    expect(await projectFingerprint(await loadProject(dir))).not.toBe(before);
  });

  it("refuse a file that is not one macro named like the file, an undocumented one, and wrong arguments", async () => {
    let dir = await copyProject();
    await writeFile(join(dir, "macros", "day_spine.sql"), "create or replace macro spine(a, b) as table select 1");
    expect(await loadError(dir)).toBe(
      'macros/day_spine.sql must be one "create or replace macro day_spine(...) as ..." statement',
    );
    dir = await copyProject();
    await writeFile(join(dir, "macros", "twice.sql"), "create or replace macro twice(x) as x * 2; select 1");
    expect(await loadError(dir)).toMatch(/^macros\/twice.sql must be one/);
    dir = await copyProject();
    await writeFile(join(dir, "macros", "twice.sql"), "create or replace macro twice(x) as x * 2");
    expect(await loadError(dir)).toBe("Macro macros/twice.sql has no yml entry");
    dir = await copyProject();
    await writeFile(
      join(dir, "macros", "day_spine.sql"),
      "create or replace macro day_spine(first_day) as table select 1",
    );
    expect(await loadError(dir)).toBe("Macro day_spine takes (first_day) but its yml documents (first_day, last_day)");
  });

  it("name the file when the SQL does not run", async () => {
    const dir = await copyProject();
    await writeFile(
      join(dir, "macros", "days_in_effect.sql"),
      "create or replace macro days_in_effect(valid_from, valid_to) as date_diff(",
    );
    const project = await loadProject(dir);
    await expect(withDuckdb({}, (connection) => defineMacros(connection, project.macros))).rejects.toThrow(
      /^Macro days_in_effect \(.*macros\/days_in_effect.sql\) failed: Parser Error/,
    );
  });
});
