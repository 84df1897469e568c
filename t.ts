import { extract } from "./extract/index.ts";
import { loadConfig } from "./cli/core/config.ts";
import { lakePaths } from "./cli/core/paths.ts";
import { createLogger } from "./cli/core/logger.ts";
const config = await loadConfig({ flags: { dataDir: process.argv[2], asOf: "2026-11-24", scale: Number(process.argv[3] ?? 1) } });
const t = Date.now();
const s = await extract({ config, paths: lakePaths(config.dataDir), logger: createLogger() });
console.log(JSON.stringify(s.sources[0]!.landed.map(l => [l.entity, l.rowCount])), Date.now() - t, "ms");
