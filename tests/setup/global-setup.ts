import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { findChromium, findPostgres, servicesRequired, type Services } from "./services.ts";
import { changedDirs, fingerprint } from "./user-files-guard.ts";

declare module "vitest" {
  export interface ProvidedContext {
    services: Services;
  }
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Once per `vitest run`: find Postgres (or start an embedded one) and Chromium, and hand them to the tests.
 * A missing service makes its tests skip with one line saying what to install, or fails the run when
 * services are required (DUCKMART_REQUIRE_SERVICES=1 or CI=true, as `.ci/run` sets). On the way out,
 * checks that the suite left the user's data/ and observable/dist untouched.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const before = await fingerprint(repoRoot);
  const wanted = process.env["DUCKMART_TEST_SERVICES"] !== "none";
  const postgres = wanted ? await findPostgres() : { missing: "not wanted (DUCKMART_TEST_SERVICES=none)" };
  const chromium = wanted ? findChromium() : { missing: "not wanted (DUCKMART_TEST_SERVICES=none)" };
  const services: Services = { postgresUrl: postgres.url, chromiumPath: chromium.path };
  const missing = [postgres.missing, chromium.missing].filter((m): m is string => m !== undefined);
  if (wanted && missing.length && servicesRequired())
    throw new Error(`Required test services are missing (DUCKMART_REQUIRE_SERVICES/CI is set):\n${missing.join("\n")}`);
  if (wanted) for (const line of missing) console.warn(`skipped: ${line}`);
  if (postgres.note) console.info(postgres.note);
  project.provide("services", services);
  return async () => {
    await postgres.stop?.();
    const changed = changedDirs(before, await fingerprint(repoRoot));
    if (changed.length) {
      // A throw here is only logged by vitest ("error during close"): set the exit code too.
      console.error(`FAIL: the test suite changed the user's ${changed.join(" and ")}: tests must write to temp dirs`);
      process.exitCode = 1;
    }
  };
}
