// npm run bench [extract|transform|sync|site|builds|matrix|history]: figures and ratios side by side, in one run each.

const suites: Record<string, () => Promise<void>> = {
  extract: async () => (await import("./bench-extract.ts")).benchExtract(),
  transform: async () => (await import("./bench-transform.ts")).benchTransform(),
  sync: async () => (await import("./bench-sync.ts")).benchSync(),
  site: async () => (await import("./bench-site.ts")).benchSite(),
  builds: async () => (await import("./bench-builds.ts")).benchBuilds(),
  matrix: async () => (await import("./bench-matrix.ts")).benchMatrix(),
  history: async () => (await import("./bench-history.ts")).benchHistory(),
};

const selected = process.argv.slice(2).filter((a) => suites[a]);
for (const name of selected.length ? selected : Object.keys(suites)) {
  console.log(`\n# bench:${name}`);
  await suites[name]!();
}
