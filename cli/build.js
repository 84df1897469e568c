// `npm run build` (and `npm install`, as `prepare`): compile the CLI's TypeScript into cli/.build (see
// cli/build-cli.js). The bin runs the build only while every source is unchanged (cli/fresh-build.js) and rebuilds
// it itself when a source changed, so this is needed only to pay the compile ahead of the first command.
try {
  await import("esbuild");
} catch {
  console.warn("duckmart: esbuild is not installed; the CLI compiles its TypeScript at run time (slower start).");
  process.exit(0);
}
const { buildCli } = await import("./build-cli.js");
const result = await buildCli({ wait: true });
console.log(
  result.status === "up-to-date"
    ? `duckmart: cli/.build is up to date (${result.files} TypeScript files checked in ${result.ms} ms)`
    : `duckmart: compiled ${result.files} TypeScript files into cli/.build in ${result.ms} ms`,
);
