// @module-tag postgres
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { noPostgres } from "./helpers/services.ts";
import { syncMarts } from "../export/index.ts";
import { pgSchema, pgUrl, tableOidOf } from "./helpers/mart-fixtures.ts";
import { starLake } from "./helpers/star-lake.ts";
import type { TestLake } from "./helpers/test-lake.ts";

let lake: TestLake | undefined;
let db: Awaited<ReturnType<typeof pgSchema>>;
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
const analyst = `dm_analyst_${suffix}`;
const piiReader = `dm_pii_${suffix}`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const sync = (l: TestLake) =>
  syncMarts({ config: l.config, paths: l.paths, logger: l.logger }, { databaseUrl: pgUrl, schema: db.schema });

/** Run a query as a role (SET ROLE: the role's own privileges), and return its rows or its error code. */
async function as(role: string, sql: string): Promise<{ rows?: Record<string, unknown>[]; code?: string }> {
  await db.client.query(`set role ${role}`);
  try {
    return { rows: (await db.client.query(sql)).rows };
  } catch (error) {
    return { code: (error as { code?: string }).code };
  } finally {
    await db.client.query("reset role");
  }
}

beforeEach(async () => {
  db = await pgSchema("whpii");
  for (const role of [analyst, piiReader]) await db.client.query(`create role ${role} nologin`);
});
afterEach(async () => {
  await db.client.query(`drop schema if exists "${db.schema}_pii" cascade`);
  await db.drop().catch(() => undefined);
  const admin = await pgSchema("whpii_admin");
  for (const role of [analyst, piiReader])
    await admin.client.query(`drop owned by ${role}; drop role if exists ${role}`).catch(() => undefined);
  await admin.client.end();
  await lake?.cleanup();
});

describe.skipIf(noPostgres)("PII policy", () => {
  it("publishes salted hashes by default; the clear values only to the PII role, in their own schema", async () => {
    const salt = "test-salt-0123456789abcdef";
    lake = await starLake(1, 100, { "warehouse.pii.role": piiReader, "warehouse.piiSalt": salt });
    const summary = await sync(lake);
    expect(summary.piiSchema).toBe(`${db.schema}_pii`);
    // What a DBA grants Metabase: the marts schema. The PII reader gets that too.
    await db.client.query(`grant usage on schema "${db.schema}" to ${analyst}`);
    await db.client.query(`grant select on all tables in schema "${db.schema}" to ${analyst}`);
    await db.client.query(`grant ${analyst} to ${piiReader}`);

    // The default role: no email or phone anywhere it can read.
    const columns = await as(
      analyst,
      `select table_schema, column_name from information_schema.columns where table_name = 'dim_people' order by 1, 2`,
    );
    expect(columns.rows).toEqual(
      ["display_name", "email_hash", "person_id", "phone_hash", "v"].map((c) => ({
        table_schema: db.schema,
        column_name: c,
      })),
    );
    const visible = await as(analyst, `select * from "${db.schema}".dim_people`);
    expect(visible.rows).toHaveLength(200);
    expect(JSON.stringify(visible.rows)).not.toMatch(/@|\+1-555/);
    expect(await as(analyst, `select email from "${db.schema}_pii".dim_people`)).toEqual({ code: "42501" });
    // The hash is sha256(salt || lower(trim(value))), so distinct emails can still be counted and joined.
    const person7 = visible.rows!.find((r) => r["person_id"] === "7")!;
    expect(person7["email_hash"]).toBe(sha256(`${salt}person7@example.com`));
    expect(person7["phone_hash"]).toBe(sha256(`${salt}+1-555-7`));

    // The PII role reads the clear values, keyed like the mart.
    const clear = await as(
      piiReader,
      `select p.person_id, p.email, p.phone, m.display_name from "${db.schema}_pii".dim_people p join "${db.schema}".dim_people m using (person_id) where p.person_id = 7`,
    );
    expect(clear.rows).toEqual([
      { person_id: "7", email: "Person7@Example.com", phone: "+1-555-7", display_name: "P7" },
    ]);
    const comment = await db.client.query(
      `select col_description('"${db.schema}".dim_people'::regclass, attnum) as text from pg_attribute where attrelid = '"${db.schema}".dim_people'::regclass and attname = 'email_hash'`,
    );
    expect(comment.rows[0].text).toMatch(/^PII, masked: salted SHA-256/);
  });

  it("drops clear PII columns from an older warehouse in place, and keeps a generated salt secret and stable", async () => {
    lake = await starLake(1, 100);
    await sync(lake);
    const oid = await tableOidOf(db.client, db.schema, "dim_people");
    // An older duckmart published email in clear: simulate it, then sync again.
    await db.client.query(`alter table "${db.schema}".dim_people add column email text default 'old@example.com'`);
    await db.client.query(`update "${db.schema}".duckmart_sync_state set checksum = 'old'`);
    await sync(lake);
    expect(await tableOidOf(db.client, db.schema, "dim_people")).toBe(oid);
    const names = await db.client.query(
      `select column_name from information_schema.columns where table_schema = $1 and table_name = 'dim_people' and column_name in ('email', 'phone')`,
      [db.schema],
    );
    expect(names.rows).toEqual([]);
    expect(lake.logger.text()).toContain(`Dropped ${db.schema}.dim_people.email`);
    const saltFile = lake.paths.state("pii-salt");
    expect((await stat(saltFile)).mode & 0o777).toBe(0o600);
    const { salt } = JSON.parse(await readFile(saltFile, "utf8")) as { salt: string };
    expect(lake.logger.text()).not.toContain(salt);
    const hash = await db.client.query(`select email_hash from "${db.schema}".dim_people where person_id = 3`);
    expect(hash.rows[0].email_hash).toBe(sha256(`${salt}person3@example.com`));
  });
});
