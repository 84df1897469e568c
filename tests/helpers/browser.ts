import { chromium, type Browser } from "playwright-core";
import { chromiumPath } from "./services.ts";

/** Debian's Chromium, headless, with no background traffic (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
