// @module-tag slow
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.ts";
import { startFakeDummyJson, fixture, type FakeDummyJson } from "./helpers/dummyjson-server.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "duckmart-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("duckmart CLI", () => {
  it("describes every command and flag in --help", async () => {
    const root = await runCli(["--help"], {}, dir);
    expect(root.code).toBe(0);
    for (const command of ["run", "extract", "transform", "test", "docs", "sync", "site", "runs", "freshness"])
      expect(root.stdout).toContain(command);
    const extract = await runCli(["extract", "--help"], {}, dir);
    expect(extract.code).toBe(0);
    for (const flag of [
      "--source",
      "--seed",
      "--scale",
      "--page-size",
      "--concurrency",
      "--data-dir",
      "--as-of",
      "--debug",
    ])
      expect(extract.stdout).toContain(flag);
  });

  it("prints no colour codes when output is not a terminal, even without NO_COLOR", async () => {
    const { spawn } = await import("node:child_process");
    const { binPath } = await import("./helpers/cli.ts");
    const out = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [binPath, "--help"], { env: { PATH: process.env["PATH"] ?? "" } });
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.on("close", () => resolve(text));
    });
    expect(out).toContain("USAGE");
    expect(out.includes("\u001b[")).toBe(false);
  });

  it("exits 2 on a usage error and names the problem", async () => {
    const bad = await runCli(["extract", "--page-size", "zero"], {}, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid config "dummyjson.pageSize" from flag --page-size');
    const unknown = await runCli(["frobnicate"], {}, dir);
    expect(unknown.code).toBe(2);
  });

  it("extracts the sample offline and shows progress without colour codes when NO_COLOR is set", async () => {
    const result = await runCli(["extract", "--data-dir", join(dir, "lake"), "--as-of", "2026-11-24"], {}, dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("sample/order_items: landed");
    expect(result.stderr.includes("\u001b[")).toBe(false);
  });

  describe("against a failing API", () => {
    let api: FakeDummyJson;
    beforeAll(async () => {
      api = await startFakeDummyJson();
      const broken = fixture("users") as Record<string, unknown>[];
      broken[1] = { ...broken[1], age: "old" };
      api.data["users"] = broken;
    });
    afterAll(() => api.close());

    it("exits 1 with the message and hint, and the stack only with --debug", async () => {
      const args = ["extract", "--source", "dummyjson", "--data-dir", join(dir, "lake2")];
      const plain = await runCli(args, { DUCKMART_DUMMYJSON_URL: api.url }, dir);
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain(
        'dummyjson/users: record id=2 failed validation at field "age": Invalid input: expected number, received string',
      );
      expect(plain.stderr).toContain("Hint: The API returned data of a shape duckmart does not expect");
      expect(plain.stderr).not.toContain("    at ");
      const debug = await runCli([...args, "--debug"], { DUCKMART_DUMMYJSON_URL: api.url }, dir);
      expect(debug.code).toBe(1);
      expect(debug.stderr).toContain("    at ");
    });

    it("reports entities that failed differently in one error, each cause once, with their hints", async () => {
      const carts = fixture("carts").length;
      api.totalOverride["carts"] = carts + 2;
      try {
        const result = await runCli(
          ["extract", "--source", "dummyjson", "--data-dir", join(dir, "lake3")],
          { DUCKMART_DUMMYJSON_URL: api.url },
          dir,
        );
        expect(result.code).toBe(1);
        const invalid = 'dummyjson/users: record id=2 failed validation at field "age"';
        const short = `dummyjson/carts: received ${carts} records but the server reported total=${carts + 2}`;
        expect(result.stderr).toContain(`Extract failed for 2 entities:\n  ${invalid}`);
        expect(result.stderr).toContain(`\n  ${short}\n`);
        for (const text of ["record id=2 failed validation", "records but the server reported"])
          expect(result.stderr.split(text).length - 1).toBe(1);
        expect(result.stderr).toContain("The API returned data of a shape duckmart does not expect");
        expect(result.stderr).toContain("The API returned fewer records than it announced");
      } finally {
        delete api.totalOverride["carts"];
      }
    });
  });
});
