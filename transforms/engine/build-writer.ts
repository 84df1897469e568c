import { link, mkdir, rename, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LakePaths } from "../../cli/core/paths.ts";
import {
  buildLayout,
  writeBuildManifest,
  type BuildLayout,
  type BuildManifest,
} from "../../cli/core/contracts/build-manifest.ts";

/**
 * A build being made: everything is written under builds/.tmp-<id>/, and the folder is renamed to builds/<id>/
 * only once every model has built. A failed build keeps only its build.json (status failed, with the error).
 */
export class BuildWriter {
  readonly layout: BuildLayout;
  readonly tmpMarts: string;

  constructor(
    private readonly paths: LakePaths,
    public manifest: BuildManifest,
  ) {
    this.layout = buildLayout(paths, manifest.buildId);
    this.tmpMarts = join(this.layout.tmpDir, "marts");
  }

  async start(): Promise<void> {
    await mkdir(this.tmpMarts, { recursive: true });
    await writeBuildManifest(join(this.layout.tmpDir, "build.json"), this.manifest);
  }

  martPath = (model: string) => join(this.tmpMarts, `${model}.parquet`);
  catalogPath = () => join(this.layout.tmpDir, "catalog.json");
  testResultsPath = () => join(this.layout.tmpDir, "test-results.json");

  /** Reuse an earlier build's mart (immutable) without copying it: a hard link. */
  async reuse(model: string, from: BuildLayout): Promise<void> {
    const source = from.mart(model);
    if (existsSync(source)) await link(source, this.martPath(model));
  }

  /** Every model built: the build folder takes its final name. */
  async complete(update: Partial<BuildManifest>): Promise<void> {
    this.manifest = { ...this.manifest, ...update, finishedAt: new Date().toISOString() };
    await writeBuildManifest(join(this.layout.tmpDir, "build.json"), this.manifest);
    await rename(this.layout.tmpDir, this.layout.dir);
  }

  /** A model failed: drop what was written, keep a build.json saying why. */
  async fail(error: string): Promise<void> {
    await rm(this.layout.tmpDir, { recursive: true, force: true });
    this.manifest = { ...this.manifest, status: "failed", error, finishedAt: new Date().toISOString() };
    await mkdir(this.layout.dir, { recursive: true });
    await writeBuildManifest(this.layout.manifest, this.manifest);
  }
}
