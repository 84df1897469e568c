import { extract } from "./extract/index.ts";
import { testLake } from "./tests/helpers/test-lake.ts";
const lake = await testLake({ source: "dummyjson", "dummyjson.url": process.argv[2] });
const t0 = performance.now();
const log = (m: string) => console.log(((performance.now() - t0) / 1000).toFixed(2), m);
const logger = { info: log, success: log, warn: log, error: log, debug() {}, start: log };
await extract({ config: lake.config, paths: lake.paths, logger });
log("done");
await lake.cleanup();
