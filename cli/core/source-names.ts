/** Shop sources: where products, users and orders come from (one per build). */
export const shopSources = ["sample", "dummyjson", "files"] as const;
export type ShopSource = (typeof shopSources)[number];

/** Payments sources: landed beside the shop source (Stripe needs an API key). */
export const paymentSources = ["stripe"] as const;
