import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "../../cli/core/config.ts";
import type { DuckmartConfig } from "../../cli/core/config-schema.ts";
import { captureLogger } from "../../cli/core/logger.ts";
import { lakePaths, type LakePaths } from "../../cli/core/paths.ts";
import { extract } from "../../extract/index.ts";
import { transform } from "../../transforms/index.ts";
import { paymentColumns, readParquet, testDuckdbThreads } from "./test-lake.ts";

export const filesFixture = (name: string) => fileURLToPath(new URL(`../fixtures/files/${name}`, import.meta.url));

/** The mapping of tests/fixtures/files/orders.csv. */
export const genericColumns = {
  order_id: "Order ID",
  ordered_at: "Order Date",
  customer_id: "Customer ID",
  customer_name: "Customer Name",
  customer_email: "Email",
  order_status: "Status",
  product_id: "SKU",
  product_name: "Product",
  category: "Category",
  quantity: "Qty",
  unit_price: "Unit Price",
  discount_rate: "Discount %",
  line_net_amount: "Net",
};

export interface FilesLake {
  dir: string;
  paths: LakePaths;
  logger: ReturnType<typeof captureLogger>;
  /** Write duckmart.config.ts with this `files.orderLines` and load it as the CLI does (no env). */
  configure(orderLines: Record<string, unknown>, flags?: Record<string, unknown>): Promise<DuckmartConfig>;
  extract(): Promise<Awaited<ReturnType<typeof extract>>>;
  transform(): Promise<Awaited<ReturnType<typeof transform>>>;
  cleanup(): Promise<void>;
}

export async function filesLake(): Promise<FilesLake> {
  const dir = await mkdtemp(join(tmpdir(), "duckmart-files-"));
  const paths = lakePaths(join(dir, "data"));
  const logger = captureLogger();
  let config: DuckmartConfig | undefined;
  let version = 0;
  return {
    dir,
    paths,
    logger,
    async configure(orderLines, flags = {}) {
      // A new folder each time: a config module, once imported, is cached by the module loader.
      const cwd = join(dir, `config-${++version}`);
      await mkdir(cwd);
      const body = { source: "files", dataDir: join(dir, "data"), files: { orderLines } };
      await writeFile(join(cwd, "duckmart.config.ts"), `export default ${JSON.stringify(body, null, 2)};\n`);
      config = await loadConfig({ cwd, env: {}, flags: { "duckdb.threads": testDuckdbThreads, ...flags } });
      return config;
    },
    extract: () => extract({ config: config!, paths, logger }, ["files"]),
    transform: () => transform({ config: config!, paths, logger, paymentColumns }, { test: true }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The lake a test file reads: configured with `orderLines`, extracted and transformed once before the file's tests
 * (vitest's beforeAll) and removed after them. `lake` is that lake; `mart` reads one of its marts (`$file` in the SQL).
 */
export function builtFilesLake(orderLines: Record<string, unknown>): {
  readonly lake: FilesLake;
  mart(name: string, sql: string): ReturnType<typeof readParquet>;
} {
  let built: FilesLake | undefined;
  beforeAll(async () => {
    built = await filesLake();
    await built.configure(orderLines);
    await built.extract();
    await built.transform();
  });
  afterAll(() => built?.cleanup());
  const current = () => {
    if (!built) throw new Error("builtFilesLake: the lake is built in beforeAll; read it from a test");
    return built;
  };
  return {
    get lake() {
      return current();
    },
    mart: (name, sql) => readParquet(current().paths.mart(name), sql),
  };
}
