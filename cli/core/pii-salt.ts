import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { writeAtomically } from "./atomic.ts";
import type { LakePaths } from "./paths.ts";
import { registerSecret } from "./redact.ts";

/**
 * The salt: `warehouse.piiSalt` (env DUCKMART_PII_SALT) when set, else one generated once and kept in
 * data/state/pii-salt.json (mode 0600), so hashes stay stable from sync to sync. Never printed. The sync hashes the
 * published PII with it; the files source derives the ids of customers known only by email or name from it.
 */
export async function piiSalt(configured: string | undefined, paths: LakePaths): Promise<string> {
  const salt = configured ?? (await savedSalt(paths));
  registerSecret(salt);
  return salt;
}

async function savedSalt(paths: LakePaths): Promise<string> {
  const path = paths.state("pii-salt");
  try {
    const saved = JSON.parse(await readFile(path, "utf8")) as { salt?: unknown };
    if (typeof saved.salt === "string" && saved.salt.length >= 16) return saved.salt;
  } catch {
    // none yet
  }
  const salt = randomBytes(32).toString("hex");
  await writeAtomically(path, (temp) => writeFile(temp, `${JSON.stringify({ salt })}\n`, { mode: 0o600 }));
  return salt;
}
