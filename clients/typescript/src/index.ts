/**
 * Typed client of the Allora Shop API. `schema.d.ts` is generated from the app's own OpenAPI
 * document (`npm run generate`, checked by `check.sh`): never edit it by hand.
 */
import createClient, { type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema";

export type { components, operations, paths } from "./schema";

type Schemas = components["schemas"];
export type Product = Schemas["ProductOut"];
export type ProductWithComments = Schemas["ProductWithComments"];
export type Comment = Schemas["CommentOut"];
export type User = Schemas["UserOut"];
export type Order = Schemas["OrderOut"];
export type OrderStatus = Schemas["OrderStatus"];
export type Quote = Schemas["QuoteOut"];
export type Billing = Schemas["BillingOut"];
export type Discount = Schemas["DiscountOut"];
/** Every failure's body: `{"message"}`, sometimes with `errors` per field. */
export type ApiError = Schemas["ErrorBody"];

/** The JSON body a route takes: `JsonBody<"/api/orders", "post">` is the checkout body. */
export type JsonBody<P extends keyof paths, M extends "post" | "put" | "patch"> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export type AlloraClient = ReturnType<typeof createClient<paths>>;

/**
 * A client of the API at `baseUrl` ("" for the same origin, as behind a Next.js rewrite).
 * In the browser the session cookie travels by itself (`credentials: "include"` also sends it
 * across origins); on the server, pass the incoming request's cookie in `headers`.
 */
export function createAlloraClient(baseUrl = "", options: ClientOptions = {}): AlloraClient {
  return createClient<paths>({ baseUrl, credentials: "include", ...options });
}

/** The listing's total from a list response's `X-Total-Count` header. */
export function totalCount(response: Response): number {
  return Number(response.headers.get("X-Total-Count") ?? "0");
}
