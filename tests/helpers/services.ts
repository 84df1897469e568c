import { inject } from "vitest";
import { defaultDatabaseUrl, type Services } from "../setup/services.ts";

/** The services the global setup found (see tests/setup/global-setup.ts); outside vitest (benchmarks), the env. */
const services: Services = process.env["VITEST"]
  ? inject("services")
  : {
      postgresUrl: process.env["DUCKMART_TEST_DATABASE_URL"] ?? defaultDatabaseUrl,
      chromiumPath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    };

export const postgresUrl = services.postgresUrl ?? defaultDatabaseUrl;
/** For `describe.skipIf(noPostgres)`: the global setup printed the one line saying what to install. */
export const noPostgres = services.postgresUrl === undefined;
export const chromiumPath = services.chromiumPath ?? "/usr/bin/chromium";
export const noChromium = services.chromiumPath === undefined;
