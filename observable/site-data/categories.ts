import type { Query } from "./site-data-kit.ts";

/** A URL-safe name for a category ("Home & Garden" -> "home-garden"); the category pages' route parameter. */
export function categorySlug(category: string): string {
  return (
    category
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "category"
  );
}

/** Every category with products or sales: each has a page. */
export async function allCategories(q: Query): Promise<string[]> {
  const rows = await q(`
    select category from dim_products where category is not null
    union
    select category from rpt_daily_sales_by_category where category <> 'All'
    order by 1`);
  return rows.map((r) => String(r["category"]));
}
