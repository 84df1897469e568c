import type { EntityDef } from "../source.ts";
import { cartSchema, productSchema, userSchema } from "./dummyjson-schemas.ts";

/** The commerce entities every commerce source lands (DummyJSON and the sample). */
export const commerceEntities: EntityDef[] = [
  { name: "products", schema: productSchema, idField: "id" },
  { name: "users", schema: userSchema, idField: "id" },
  { name: "carts", schema: cartSchema, idField: "id" },
];
