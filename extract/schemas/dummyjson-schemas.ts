import { z } from "zod";

/** Shapes of the DummyJSON entities as served (camelCase kept in the raw layer). */
const num = z.number();
const int = z.number().int();
const str = z.string();

const coordinates = z.object({ lat: num, lng: num });
const address = z.object({
  address: str,
  city: str,
  state: str,
  stateCode: str,
  postalCode: str,
  coordinates,
  country: str,
});

export const productSchema = z.looseObject({
  id: int,
  title: str,
  description: str,
  category: str,
  price: num.nonnegative(),
  discountPercentage: num,
  rating: num,
  stock: int,
  tags: z.array(str),
  brand: str.nullish(),
  sku: str,
  weight: num,
  dimensions: z.object({ width: num, height: num, depth: num }),
  warrantyInformation: str,
  shippingInformation: str,
  availabilityStatus: str,
  reviews: z.array(z.object({ rating: int, comment: str, date: str, reviewerName: str, reviewerEmail: str })),
  returnPolicy: str,
  minimumOrderQuantity: int,
  meta: z.object({ createdAt: str, updatedAt: str, barcode: str, qrCode: str }),
  images: z.array(str),
  thumbnail: str,
});

/** Users, after the secret fields are dropped (see secret-fields.ts). */
export const userSchema = z.looseObject({
  id: int,
  firstName: str,
  lastName: str,
  maidenName: str,
  age: int,
  gender: str,
  email: str,
  phone: str,
  username: str,
  birthDate: str,
  image: str,
  bloodGroup: str,
  height: num,
  weight: num,
  eyeColor: str,
  hair: z.object({ color: str, type: str }),
  address,
  university: str,
  bank: z.object({ cardExpire: str, cardType: str, currency: str }),
  company: z.object({ department: str, name: str, title: str, address }),
  role: str,
});

export const cartLineSchema = z.object({
  id: int,
  title: str,
  price: num,
  quantity: int.positive(),
  total: num,
  discountPercentage: num,
  discountedTotal: num,
  thumbnail: str,
});

export const cartSchema = z.looseObject({
  id: int,
  products: z.array(cartLineSchema),
  total: num,
  discountedTotal: num,
  userId: int,
  totalProducts: int,
  totalQuantity: int,
});
