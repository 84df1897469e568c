// Is the install-time build (cli/.build) current? Only when every compiled source still has the mtime and size it
// was compiled from, and no source was deleted: about a hundred stat calls, a few milliseconds.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

/** The file URL of the compiled `entry` (e.g. "cli/main.ts") when the build is fresh, else undefined. */
export function freshBuild(entry, root = projectRoot) {
  const buildDir = join(root, "cli", ".build");
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
