// The date-range and category controls shared by pages 1-5 (Inputs from node_modules).
import * as Inputs from "@observablehq/inputs";

export const rangeOptions = new Map([
  ["Last 7 days", 7],
  ["Last 30 days", 30],
  ["Last 90 days", 90],
]);

export function rangeInput(value = 30) {
  return Inputs.radio(rangeOptions, { label: "Date range", value });
}

export function categoryInput(categories) {
  return Inputs.select(["All", ...categories], { label: "Category", value: "All" });
}
