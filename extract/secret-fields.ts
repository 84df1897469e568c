/**
 * Fields that never land, per entity: dropped from each record before validation.
 * Listed in the README ("Secrets never land").
 */
export const secretFields: Record<string, string[]> = {
  users: ["password", "ssn", "ein", "bank.cardNumber", "bank.iban", "crypto", "ip", "macAddress", "userAgent"],
};

export function dropSecrets(entity: string, record: Record<string, unknown>): Record<string, unknown> {
  const paths = secretFields[entity];
  if (!paths) return record;
  const copy: Record<string, unknown> = { ...record };
  for (const path of paths) {
    const [head, ...rest] = path.split(".");
    if (!head) continue;
    if (rest.length === 0) {
      delete copy[head];
    } else if (copy[head] && typeof copy[head] === "object") {
      const nested = { ...(copy[head] as Record<string, unknown>) };
      delete nested[rest.join(".")];
      copy[head] = nested;
    }
  }
  return copy;
}
