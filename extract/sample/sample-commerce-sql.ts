import { quoteLiteral } from "../../cli/core/duckdb.ts";
import * as v from "./vocabulary.ts";

export interface SampleSizes {
  seed: number;
  products: number;
  users: number;
  carts: number;
}

/** Sizes for a scale: scale 1 is about DummyJSON's size; products grow slower than orders, as in a real shop. */
export function sampleSizes(scale: number, seed: number): SampleSizes {
  return {
    seed,
    products: Math.max(20, Math.round(194 * Math.sqrt(scale))),
    users: Math.max(20, Math.round(208 * scale ** 0.85)),
    carts: Math.max(10, Math.round(208 * scale)),
  };
}

export interface SampleCommerceSql {
  /** Macros and the small temp tables (cities, categories, products). */
  setup: string[];
  users: string;
  carts: string;
}

/** Day numbers count from this day: what changes from day to day is a function of the day number. */
export const sampleEpoch = "2026-01-01";

/**
 * The generator's SQL: each entity is a query, so large ones stream to Parquet instead of living in memory.
 * The shop changes from day to day as a pure function of (seed, scale, as-of): about a third of the products
 * change price and discount every few weeks, stock runs down between restocks (so products go out of stock and
 * come back), and about three in ten customers move every few months. Carts keep the list prices they were
 * placed at (the base prices).
 */
export function sampleCommerceSql(sizes: SampleSizes, citiesCsv: string, asOf: string): SampleCommerceSql {
  const categoryRows = v.categories
    .map((c) => `(${quoteLiteral(c[0])}, ${c[1]}, ${c[2]}, ${c[3]}, ${quoteLiteral(c[4])}, ${quoteLiteral(c[5])})`)
    .join(", ");
  return {
    setup: [
      `create or replace temp macro rnd(k, salt) as ((hash(hash(k, salt, ${sizes.seed})) >> 11)::double / 9007199254740992.0)`,
      `create or replace temp macro pick(words, u) as words[1 + floor(u * len(words))::int]`,
      // The day number of as-of, and the period number of a cycle of `len` days shifted by `shift`.
      `set variable sample_day = (date ${quoteLiteral(asOf)} - date ${quoteLiteral(sampleEpoch)})::bigint`,
      `create or replace temp macro period_of(len, shift) as floor((getvariable('sample_day') + shift) / len)::bigint`,
      `create or replace temp macro phase_of(len, shift) as (((getvariable('sample_day') + shift) % len) + len) % len`,
      `create or replace temp table sample_cities as select * from read_csv(${quoteLiteral(citiesCsv)}, header = true)`,
      `create or replace temp table sample_categories as
    with c(category, weight, min_price, max_price, code, noun) as (values ${categoryRows})
    select *, coalesce(sum(weight) over (order by category rows between unbounded preceding and 1 preceding), 0) / sum(weight) over () as lower_bound
    from c`,
      `create or replace temp table sample_products as
    with base as (select range + 1 as id, rnd(range + 1, 'category') as u_category from range(${sizes.products})),
    typed as (select base.*, c.* exclude (lower_bound) from base asof join sample_categories c on base.u_category >= c.lower_bound),
    based as (
        select *,
            case when rnd(id, 'stock') < 0.03 then 0
                 when rnd(id, 'stock') < 0.12 then 1 + floor(rnd(id, 'stock_n') * 9)::int
                 else 10 + floor(rnd(id, 'stock_n') * 140)::int end as base_stock,
            round(min_price + (max_price - min_price) * pow(rnd(id, 'price'), 2), 2) as base_price,
            round(0.5 + 19.5 * rnd(id, 'discount'), 2) as base_discount,
            rnd(id, 'volatile') < 0.35 as is_volatile,
            14 + floor(rnd(id, 'price_period') * 46)::int as price_period,
            case when rnd(id, 'sales') < 0.6 then 0 else 1 + floor(rnd(id, 'sales_n') * 3)::int end as daily_sales,
            7 + floor(rnd(id, 'restock') * 8)::int as restock_days,
            pick(${v.adjectives}, rnd(id, 'adjective')) || ' ' || noun || ' ' || id as title,
        from typed
    ),
    stocked as (
        select *,
            -- Stock runs down by the daily sales between restocks; a product with little stock runs out.
            greatest(0, base_stock - (case when base_stock >= 10 then daily_sales else 0 end)
                * phase_of(restock_days, floor(rnd(id, 'restock_at') * restock_days)::int))::int as stock,
            period_of(price_period, floor(rnd(id, 'price_at') * price_period)::int) as price_epoch,
        from based
    )
    select
        id,
        title,
        'The ' || title || ' from our ' || replace(category, '-', ' ') || ' range.' as description,
        category,
        case when is_volatile then round(base_price * (0.85 + 0.3 * rnd(id * 100003 + price_epoch, 'reprice')), 2)
            else base_price end as price,
        case when is_volatile then round(0.5 + 19.5 * rnd(id * 100003 + price_epoch, 'rediscount'), 2)
            else base_discount end as discountPercentage,
        round(2.5 + 2.5 * rnd(id, 'rating'), 2) as rating,
        stock,
        [category, lower(noun)] as tags,
        case when rnd(id, 'brand') < 0.45 then null else pick(${v.brands}, rnd(id, 'brand_name')) end as brand,
        code || '-' || upper(left(replace(noun, ' ', ''), 3)) || '-' || lpad(id::varchar, 5, '0') as sku,
        1 + floor(rnd(id, 'weight') * 9) as weight,
        {'width': round(5 + 25 * rnd(id, 'w'), 2), 'height': round(5 + 25 * rnd(id, 'h'), 2), 'depth': round(5 + 25 * rnd(id, 'd'), 2)} as dimensions,
        pick(${v.warranties}, rnd(id, 'warranty')) as warrantyInformation,
        pick(${v.shipping}, rnd(id, 'shipping')) as shippingInformation,
        case when stock = 0 then 'Out of Stock' when stock < 10 then 'Low Stock' else 'In Stock' end as availabilityStatus,
        list_transform(range(3), r -> {
            'rating': 1 + floor(rnd(id * 3 + r, 'review') * 5)::int,
            'comment': pick(${v.reviewComments}, rnd(id * 3 + r, 'comment')),
            'date': '2025-04-30T09:41:02.053Z',
            'reviewerName': pick(${v.femaleNames}, rnd(id * 3 + r, 'rfirst')) || ' ' || pick(${v.lastNames}, rnd(id * 3 + r, 'rlast')),
            'reviewerEmail': lower(pick(${v.femaleNames}, rnd(id * 3 + r, 'rfirst')) || '.' || pick(${v.lastNames}, rnd(id * 3 + r, 'rlast'))) || '@x.duckmart.dev',
        }) as reviews,
        pick(${v.returnPolicies}, rnd(id, 'return')) as returnPolicy,
        1 + floor(rnd(id, 'moq') * 50)::int as minimumOrderQuantity,
        {'createdAt': '2025-04-30T09:41:02.053Z', 'updatedAt': '2025-04-30T09:41:02.053Z', 'barcode': lpad((floor(rnd(id, 'barcode') * 1e12))::bigint::varchar, 13, '0'), 'qrCode': 'https://example.invalid/qr-code.png'} as meta,
        ['https://example.invalid/product-images/' || id || '/1.webp'] as images,
        'https://example.invalid/product-images/' || id || '/thumbnail.webp' as thumbnail,
        base_price,
        base_discount,
    from stocked`,
      `set variable sample_product_list = (
        select list({'id': id, 'title': title, 'price': base_price, 'discountPercentage': base_discount, 'thumbnail': thumbnail} order by id)
        from sample_products
    )`,
    ],
    users: `(
    with base as (
        select range + 1 as id, rnd(range + 1, 'gender') < 0.51 as is_female from range(${sizes.users})
    ),
    housed as (
        -- About three in ten customers move every 3 to 12 months: their home is drawn anew each period.
        select *,
            case when rnd(id, 'mover') < 0.3
                then id * 100003 + period_of(90 + floor(rnd(id, 'move_period') * 270)::int, floor(rnd(id, 'move_at') * 360)::int)
                else id end as home,
        from base
    ),
    named as (
        select *,
            case when is_female then pick(${v.femaleNames}, rnd(id, 'first')) else pick(${v.maleNames}, rnd(id, 'first')) end as first_name,
            pick(${v.lastNames}, rnd(id, 'last')) as last_name,
            (select count(*) from sample_cities) as n_cities,
        from housed
    ),
    located as (
        select named.*, c.city, c.state as city_state,
            -- Like the real data, many users' state disagrees with their city.
            case when rnd(home, 'state_ok') < 0.6 then c.state else s.state end as state,
            case when rnd(home, 'state_ok') < 0.6 then c.state_code else s.state_code end as state_code,
        from named
        join (select *, row_number() over (order by city) - 1 as i from sample_cities) c on c.i = floor(rnd(home, 'city') * n_cities)
        join (select *, row_number() over (order by city) - 1 as i from sample_cities) s on s.i = floor(rnd(home, 'state') * n_cities)
    )
    select
        id,
        first_name as firstName,
        last_name as lastName,
        pick(${v.lastNames}, rnd(id, 'maiden')) as maidenName,
        18 + floor(rnd(id, 'age') * 55)::int as age,
        case when is_female then 'female' else 'male' end as gender,
        lower(first_name || '.' || last_name) || id || '@x.duckmart.dev' as email,
        '+1 ' || (200 + floor(rnd(id, 'p1') * 799))::int || '-' || lpad(floor(rnd(id, 'p2') * 1000)::int::varchar, 3, '0') || '-' || lpad(floor(rnd(id, 'p3') * 10000)::int::varchar, 4, '0') as phone,
        lower(first_name) || id as username,
        (1950 + floor(rnd(id, 'by') * 55)::int) || '-' || (1 + floor(rnd(id, 'bm') * 12)::int) || '-' || (1 + floor(rnd(id, 'bd') * 28)::int) as birthDate,
        'https://example.invalid/icon/' || id || '/128' as image,
        pick(${v.bloodGroups}, rnd(id, 'blood')) as bloodGroup,
        round(150 + 50 * rnd(id, 'height'), 2) as height,
        round(50 + 60 * rnd(id, 'weight'), 2) as weight,
        pick(${v.eyeColors}, rnd(id, 'eyes')) as eyeColor,
        {'color': pick(${v.hairColors}, rnd(id, 'hair')), 'type': pick(${v.hairTypes}, rnd(id, 'hair_type'))} as hair,
        {'address': (100 + floor(rnd(home, 'street_no') * 9800))::int || ' ' || pick(${v.streets}, rnd(home, 'street')), 'city': city, 'state': state, 'stateCode': state_code,
         'postalCode': lpad(floor(rnd(home, 'zip') * 99999)::int::varchar, 5, '0'),
         'coordinates': {'lat': round(-90 + 180 * rnd(home, 'lat'), 6), 'lng': round(-180 + 360 * rnd(home, 'lng'), 6)}, 'country': 'United States'} as address,
        pick(${v.universities}, rnd(id, 'uni')) as university,
        {'cardExpire': lpad((1 + floor(rnd(id, 'em') * 12))::int::varchar, 2, '0') || '/' || (26 + floor(rnd(id, 'ey') * 6))::int, 'cardType': pick(${v.cardTypes}, rnd(id, 'card')), 'currency': pick(${v.currencies}, rnd(id, 'cur'))} as bank,
        {'department': pick(${v.departments}, rnd(id, 'dept')), 'name': pick(${v.companyWords}, rnd(id, 'c1')) || ', ' || pick(${v.companyWords}, rnd(id, 'c2')) || ' and ' || pick(${v.companyWords}, rnd(id, 'c3')), 'title': pick(${v.titles}, rnd(id, 'title')),
         'address': {'address': (100 + floor(rnd(id, 'cstreet_no') * 9800))::int || ' ' || pick(${v.streets}, rnd(id, 'cstreet')), 'city': city, 'state': city_state, 'stateCode': state_code, 'postalCode': lpad(floor(rnd(id, 'czip') * 99999)::int::varchar, 5, '0'),
                     'coordinates': {'lat': round(-90 + 180 * rnd(id, 'clat'), 6), 'lng': round(-180 + 360 * rnd(id, 'clng'), 6)}, 'country': 'United States'}} as company,
        case when rnd(id, 'role') < 0.93 then 'user' when rnd(id, 'role') < 0.98 then 'moderator' else 'admin' end as role,
    from located
)`,
    // Customers: a Pareto-shaped pick, so a minority of customers places most orders (and returns).
    // Products: popular products are picked far more often; a cart may list a product twice, as in the real data.
    // Each cart is built row by row (no GROUP BY), so this streams at any scale.
    carts: `(
    with heads as (
        select range + 1 as id,
            1 + floor(${sizes.users} * pow(rnd(range + 1, 'customer'), 2.2))::bigint as userId,
            1 + floor(rnd(range + 1, 'lines') * 6)::int as line_count,
        from range(${sizes.carts})
    ),
    built as (
        select id, userId,
            list_transform(range(1, line_count + 1), ln -> {
                'product': getvariable('sample_product_list')[1 + floor(${sizes.products} * pow(rnd(id * 8 + ln, 'product'), 1.8))::int],
                'quantity': 1 + floor(pow(rnd(id * 8 + ln, 'quantity'), 2) * 5)::int,
            }) as picks,
        from heads
    ),
    priced as (
        select id, userId,
            list_transform(picks, x -> {
                'id': x.product.id, 'title': x.product.title, 'price': x.product.price, 'quantity': x.quantity,
                'total': round(x.product.price * x.quantity, 2),
                'discountPercentage': x.product.discountPercentage,
                'discountedTotal': round(x.product.price * x.quantity * (1 - x.product.discountPercentage / 100), 2),
                'thumbnail': x.product.thumbnail,
            }) as products,
        from built
    )
    select
        id,
        products,
        round(list_sum(list_transform(products, p -> p.total)), 2) as total,
        round(list_sum(list_transform(products, p -> p.discountedTotal)), 2) as discountedTotal,
        userId,
        len(products) as totalProducts,
        list_sum(list_transform(products, p -> p.quantity)) as totalQuantity,
    from priced
)`,
  };
}
