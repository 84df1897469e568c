// Is the install-time build current? cli/.build/current names the build folder (cli/.build/v-<hash>, see
// cli/build-cli.js); it is current only when every compiled source still has the mtime and size it was compiled
// from, and no source was deleted: about a hundred stat calls, a few milliseconds.
import { readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

/** The current build folder's name (e.g. "v-0123abcd..."), or undefined when there is none. */
export function readCurrentId(root = projectRoot) {
  try {
    return readFileSync(join(root, "cli", ".build", "current"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The file URL of the compiled `entry` (e.g. "cli/main.ts") when the build is fresh, else undefined. */
export function freshBuild(entry, root = projectRoot) {
  const id = readCurrentId(root);
  if (!id) return undefined;
  const buildDir = join(root, "cli", ".build", id);
  try {
    const { files } = JSON.parse(readFileSync(join(buildDir, "manifest.json"), "utf8"));
    for (const [rel, [mtimeMs, size]] of Object.entries(files)) {
      const info = statSync(join(root, rel));
      if (info.mtimeMs !== mtimeMs || info.size !== size) return undefined;
    }
    return pathToFileURL(join(buildDir, entry.replace(/\.ts$/, ".js"))).href;
  } catch {
    return undefined;
  }
}

/**
 * Mark this process as running from the build of `url` (a file URL from freshBuild for an entry in cli/): a newer
 * build removes an old folder only when every process marked in its in-use/ is gone. Unmarked at exit; a killed
 * process's mark is ignored (its pid is dead). False when the mark cannot be written (a read-only install).
 */
export function markInUse(url) {
  const marker = fileURLToPath(new URL(`../in-use/${process.pid}`, url));
  try {
    writeFileSync(marker, "");
  } catch {
    return false;
  }
  process.on("exit", () => {
    try {
      unlinkSync(marker);
    } catch {
      // already gone
    }
  });
  return true;
}

/** Whether a process on this machine is running. */
export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
