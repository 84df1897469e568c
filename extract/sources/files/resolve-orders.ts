import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, queryValue, quoteIdent, quoteLiteral } from "../../../cli/core/duckdb.ts";
import { linesTable } from "./lines-sql.ts";

export const contactFields = [
  "customer_name",
  "customer_email",
  "customer_phone",
  "street_address",
  "city",
  "state",
  "postal_code",
  "country",
];

/** The contact fields that are not the address: each may come from a different order (see resolveOrders). */
export const personFields = ["customer_name", "customer_email", "customer_phone"];

/**
 * Whether a column takes two values in a group, from 64-bit hashes: the aggregate keeps two numbers, not two
 * strings, for millions of orders (two values hash alike once in 2^64).
 */
const differs = (column: string) =>
  `min(hash(${column})) filter (where ${column} is not null) <> max(hash(${column})) filter (where ${column} is not null)`;

/**
 * Order-level fields, one row per order of the file (temp table `file_orders`). Exports repeat them on every
 * line or give them on the first line only; either way the first non-empty value in file order is used.
 * Conflicts resolve deterministically: the earliest date, the first customer and status in file order.
 * The address is one block (never a street from one line and a city from another): the order keeps the line it
 * comes from (`contact_line`), and the customer's address is read from that line. The order also keeps its first
 * line with a name, an email and a phone (`customer_name_line`, ...): a customer's phone missing on their latest
 * order comes from the latest order that has one.
 */
export async function resolveOrders(connection: DuckDBConnection, options: { withTotals: boolean }): Promise<void> {
  const first = (column: string, as = column) =>
    `arg_min(${column}, line_index) filter (where ${column} is not null) as ${as}`;
  const customerKey = "coalesce(customer_id, customer_email, customer_name)";
  const contactLine = `coalesce(${contactFields.join(", ")}) is not null`;
  // The contact block's name and email, as hashes: enough to tell a customer's orders apart by them.
  const blockHash = (column: string, as: string) =>
    `arg_min(case when ${column} is not null then hash(${column}) end, line_index) filter (where ${contactLine}) as ${as}`;
  await connection.run(`create or replace temp table file_orders as
    select
        order_id as order_number,
        min(ordered_at) as ordered_at,
        min(ordered_at) <> max(ordered_at) as has_two_dates,
        ${first("order_status", "status")},
        ${differs("order_status")} as has_two_statuses,
        ${first(customerKey, "customer_key")},
        -- Whether that key is the file's customer id (else an email or a name: personal, so its id is salted).
        arg_min(customer_id is not null, line_index) filter (where ${customerKey} is not null) as key_is_customer_id,
        ${differs(customerKey)} as has_two_customers,
        ${first("currency")},
        -- Contact details and address come as one block, from the first line that has any of them.
        min(line_index) filter (where ${contactLine}) as contact_line,
        -- The order's first line with a name, an email, a phone: the customer's come from their latest order with one.
        ${personFields.map((f) => `min(line_index) filter (where ${f} is not null) as ${f}_line,`).join("\n        ")}
        ${blockHash("customer_name", "name_hash")},
        ${blockHash("customer_email", "email_hash")},
        min(shipped_at) as shipped_at,
        min(line_index) as first_line,
        max(line_index) - min(line_index) + 1 = count(*) as is_contiguous,
        ${
          // Totals of the order's items, when every line is one item (no returns to net): exact decimal sums.
          options.withTotals
            ? `count(*) as line_count,
        sum(quantity) as total_quantity,
        sum(gross_amount) as gross_total,
        sum(net_amount) as discounted_total,`
            : ""
        }
    from ${options.withTotals ? "file_lines_priced" : "file_lines"}
    group by order_id`);
}

/** The DuckDB variable holding the PII salt (cli/core/pii-salt.ts) while the files source derives its ids. */
export const idSaltVariable = "duckmart_id_salt";

/**
 * Stable integer ids for text natural keys, added as `idColumn` to `table`: a key that is a plain integer
 * keeps its value when every key of the table is one; otherwise the first 52 bits of the key's MD5 (the same
 * key gets the same id in every snapshot, on every machine). Should two keys hash alike, ids are the rank of the sorted keys instead.
 */
export async function addSurrogateIds(
  connection: DuckDBConnection,
  table: string,
  keyColumn: string,
  idColumn: string,
  options: { saltedWhere?: string } = {},
): Promise<"integer" | "hash" | "rank"> {
  const key = quoteIdent(keyColumn);
  const [name, id] = [quoteIdent(table), quoteIdent(idColumn)];
  const allIntegers = await queryValue<boolean | null>(
    connection,
    // A plain integer keeps its value only where no key is personal (a phone number given as the name is not an id).
    `select bool_and(regexp_full_match(${key}, '[1-9][0-9]{0,14}')${options.saltedWhere ? ` and not (${options.saltedWhere})` : ""}) from ${name}`,
  );
  const hashOf = (text: string) => `cast('0x' || left(md5(${text}), 13) as bigint)`;
  // A personal key (an email, a name) gets the MD5 of the salt and the key: a plain MD5 of an email could be matched
  // against a list of emails by anyone who sees the id (the site, the warehouse). The salt is read from a variable.
  const hashed = options.saltedWhere
    ? `case when ${options.saltedWhere} then ${hashOf(`getvariable('${idSaltVariable}') || ${key}`)} else ${hashOf(key)} end`
    : hashOf(key);
  const expression = allIntegers ? `cast(${key} as bigint)` : hashed;
  // One pass that writes the table anew with its ids (an added column filled by UPDATE rewrites it twice).
  await connection.run(`create or replace temp table ${name} as select *, ${expression} as ${id} from ${name}`);
  if (allIntegers) return "integer";
  const collisions = await queryValue<number>(connection, `select count(*) - count(distinct ${id}) from ${name}`);
  if (collisions === 0) return "hash";
  await connection.run(`create or replace temp table ${name} as
    select * replace (row_number() over (order by ${key}) as ${id}) from ${name}`);
  return "rank";
}

/** Conflict counts of the resolved entities (see the README, "Files source"). */
export async function countConflicts(
  connection: DuckDBConnection,
  options: { totalsOnOrders: boolean; cutAfter: string | null },
): Promise<Record<string, number>> {
  // Counts are of what landed: lines of orders left out for being after the as-of (`cutAfter`) do not count.
  const rows = await queryRows(
    connection,
    `with zero_lines as materialized (
        -- file_lines (and so file_orders) leave zero-quantity lines out: one pass over the typed lines finds them.
        select order_id, ordered_at from ${linesTable} where __bad is null and quantity = 0
    ),
    zero_only_orders as (
        select order_id from zero_lines z anti join file_orders o on z.order_id = o.order_number
        group by order_id
        ${options.cutAfter ? `having min(ordered_at) is null or min(ordered_at) < date ${quoteLiteral(options.cutAfter)} + interval 1 day` : ""}
    ),
    landed_returns as (
        select quantity from file_lines l semi join file_orders o on l.order_id = o.order_number where quantity < 0
    )
    select
        (select count(*) filter (where has_two_dates) from file_orders) as orders_with_two_dates,
        (select count(*) filter (where has_two_customers) from file_orders) as orders_with_two_customers,
        (select count(*) filter (where has_two_statuses) from file_orders) as orders_with_two_statuses,
        (select count(*) filter (where has_two_names) from file_products) as products_with_two_names,
        (select count(*) filter (where has_two_names or has_two_emails) from file_customers) as customers_with_two_names_or_emails,
        (select count(*) from landed_returns) as return_lines,
        (select coalesce(-sum(quantity), 0) from landed_returns) as returned_units,
        -- Zero-quantity lines (of landed orders, or of orders they leave empty), and the orders they leave empty.
        (select count(*) from zero_lines z
            where z.order_id in (select order_number from file_orders)
            or z.order_id in (select order_id from zero_only_orders)) as zero_quantity_lines,
        (select count(*) from zero_only_orders) as zero_quantity_orders,
        ${
          // Only returns can empty an order: without them, no order is fully returned.
          options.totalsOnOrders
            ? "0"
            : "(select count(*) from file_orders o anti join file_order_totals t using (order_id))"
        } as fully_returned_orders`,
  );
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}
