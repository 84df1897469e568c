import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../cli/core/config.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-config-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("config", () => {
  it("uses defaults when nothing is set", async () => {
    const config = await loadConfig({ env: {}, cwd: dir });
    expect(config.source).toBe("sample");
    expect(config.dummyjson).toMatchObject({ url: "https://dummyjson.com", pageSize: 100, concurrency: 4 });
    expect(config.asOf).toBe(new Date().toISOString().slice(0, 10));
  });

  it("applies flags over env over .env over duckmart.config.ts", async () => {
    await writeFile(
      join(dir, "duckmart.config.ts"),
      `export default { seed: 1, scale: 2, dummyjson: { pageSize: 10, concurrency: 2 }, schema: "from_file" };\n`,
    );
    await writeFile(join(dir, ".env"), "DUCKMART_SEED=3\nDUCKMART_PAGE_SIZE=30\nDUCKMART_SCHEMA=from_dotenv\n");
    const config = await loadConfig({
      env: { DUCKMART_SEED: "4", DUCKMART_SCHEMA: "from_env" },
      cwd: dir,
      flags: { schema: "from_flag" },
    });
    expect(config.seed).toBe(4); // env beats .env and the file
    expect(config.dummyjson.pageSize).toBe(30); // .env beats the file
    expect(config.dummyjson.concurrency).toBe(2); // the file beats the default
    expect(config.scale).toBe(2);
    expect(config.schema).toBe("from_flag"); // flags beat everything
  });

  it("names the bad key, where it came from, and how to fix it", async () => {
    await expect(loadConfig({ env: { DUCKMART_PAGE_SIZE: "lots" }, cwd: dir })).rejects.toMatchObject({
      message: 'Invalid config "dummyjson.pageSize" from env DUCKMART_PAGE_SIZE: use a number (got "lots")',
      exitCode: 2,
    });
    await expect(loadConfig({ env: {}, cwd: dir, flags: { source: "shopify" } })).rejects.toMatchObject({
      message: expect.stringContaining('Invalid config "source" from flag --source'),
    });
  });

  it("never echoes a secret value in a config error", async () => {
    const error = await loadConfig({ env: { DUCKMART_ALERT_WEBHOOK: "not a url with s3cr3t" }, cwd: dir }).catch(
      (e: Error) => e,
    );
    expect(String((error as Error).message)).toContain('"alertWebhook"');
    expect(String((error as Error).message)).not.toContain("s3cr3t");
  });
  it("says why a config file does not load, and what to do when duckmart is not installed beside it", async () => {
    await writeFile(
      join(dir, "duckmart.config.ts"),
      `import { defineConfig } from "duckmart";\nexport default defineConfig({ scale: 2 });\n`,
    );
    const error = await loadConfig({ env: {}, cwd: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toContain(join(dir, "duckmart.config.ts"));
    expect((error as Error).message).toMatch(/duckmart/);
    expect((error as { hint: string }).hint).toContain("npm install --save-dev");
  });
});
