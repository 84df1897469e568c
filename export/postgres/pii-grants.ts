import type pg from "pg";
import { quoteIdent, quoteLiteral } from "../../cli/core/duckdb.ts";
import { DuckmartError } from "../../cli/core/errors.ts";

/** The PII schema is readable by the configured role only: nobody else gets USAGE, PUBLIC loses everything. */
export async function grantPii(client: pg.PoolClient, schema: string, role: string): Promise<void> {
  const { rows } = await client.query(`select 1 from pg_roles where rolname = $1`, [role]);
  if (!rows.length)
    throw new DuckmartError(`The PII role "${role}" does not exist`, {
      hint: `Create it (create role ${role} nologin; grant ${role} to <analyst>), or fix warehouse.pii.role. The PII tables were published but nobody can read them.`,
    });
  const s = quoteIdent(schema);
  await client.query(`revoke all on schema ${s} from public`);
  await client.query(`revoke all on all tables in schema ${s} from public`);
  await client.query(`grant usage on schema ${s} to ${quoteIdent(role)}`);
  await client.query(`grant select on all tables in schema ${s} to ${quoteIdent(role)}`);
  await client.query(`comment on schema ${s} is ${quoteLiteral(`duckmart: PII in clear, readable only by ${role}`)}`);
}
