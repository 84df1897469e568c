import { moneyType } from "./lines-sql.ts";

/**
 * The divisions of the derived money (a unit price from a line's gross, a gross from its net and discount rate),
 * exact to six decimals, rounded half away from zero. Not DuckDB's `/`: it divides decimals as DOUBLE, which past
 * about 10^9 no longer holds six decimals (99,999,999,999.999999 / 1 came out 100,000,000,000), and a DOUBLE branch
 * in a coalesce() turns the exact values beside it into DOUBLEs too. BIGINT long division in millionths instead
 * (HUGEINT division is exact too, but took 30 s for 10M lines; inside a CASE these expressions take 2-4x longer,
 * so they guard themselves and stay bare in their coalesce()).
 */

/** A DECIMAL with six decimals, below 9.2 x 10^12 either way, as its whole number of millionths (BIGINT). */
const millionths = (x: string) =>
  `(cast(trunc(${x}) as BIGINT) * 1000000 + cast((${x} - trunc(${x})) * 1000000 as BIGINT))`;

/** A BIGINT number of millionths as money. */
const fromMillionths = (units: string) => `cast(cast(${units} as DECIMAL(18, 0)) * 0.000001 as ${moneyType})`;

/** `|gross| / |quantity|`: the unit price of a line whose file gives none (quantity is a non-zero BIGINT). */
export function unitPriceSql(gross: string, quantity: string): string {
  const [n, d] = [millionths(`abs(${gross})`), `abs(${quantity})`];
  // Rounded up when the remainder is at least half the divisor (compared without doubling: no overflow).
  return fromMillionths(`${n} // ${d} + cast(${n} % ${d} >= ${d} - ${n} % ${d} as BIGINT)`);
}

/**
 * `net / (1 - rate / 100)` = `net x 100 / (100 - rate)`: the gross of a line whose file gives only its net and
 * discount rate, or null for a rate of 100% or more (no gross to find) or below -9,900% (a return line's: past it
 * the BIGINTs could overflow), as before for 100% or more: then the gross is the net. In millionths,
 * |net| x 10^8 / (100 - rate), by long division: the whole part, then eight more digits from the remainder.
 */
export function grossFromNetSql(net: string, rate: string): string {
  const n = millionths(`abs(${net})`);
  // 0 (a division by zero is null in DuckDB) past 100%; null below -9,900%.
  const d = `nullif(least(greatest(100000000 - ${millionths(rate)}, 0), 10000000001), 10000000001)`;
  const digits = `(${n} % ${d}) * 100000000`;
  return fromMillionths(`sign(${net}) * ((${n} // ${d}) * 100000000 + (2 * ${digits} + ${d}) // (2 * ${d}))`);
}
