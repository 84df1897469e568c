import { beforeAll } from "vitest";
import { clearSecrets } from "../../cli/core/redact.ts";

// Each test file starts with no registered secrets, as in its own process: the unit tier runs files in shared
// workers (isolate: false), where the redaction registry would otherwise carry one file's secrets into the next.
beforeAll(() => clearSecrets());
