/**
 * Type-checked by `check.sh` (`tsc --noEmit`): the calls the storefront makes, with bodies,
 * errors and headers typed from the generated schema. Each `@ts-expect-error` proves a type is
 * precise: it fails the check if that type turns into `unknown` or `any`.
 */
import {
  createAlloraClient,
  totalCount,
  type ApiError,
  type JsonBody,
  type Product,
} from "../src/index";

const api = createAlloraClient("https://api.shop.example", {
  headers: { cookie: "token=from-the-incoming-request" },
});

export async function catalogue(): Promise<{ products: Product[]; total: number }> {
  const { data, error, response } = await api.GET("/api/products", {
    params: { query: { limit: 20, offset: 0, category: "shirts", sort: "-price" } },
  });
  if (error) {
    const message: string = error.message;
    throw new Error(message);
  }
  const first = data[0];
  if (first) {
    const price: number = first.price;
    const images: string[] = first.images;
    const size: string | null = first.variants[0]?.size ?? null;
    // @ts-expect-error a price is a number, never text
    const wrong: string = first.price;
    void [price, images, size, wrong];
  }
  return { products: data, total: totalCount(response) };
}

export async function signIn(email: string, password: string): Promise<string> {
  const { data, error, response } = await api.POST("/api/auth/signin", {
    body: { email, password },
  });
  if (error) {
    return response.status === 429 ? "Too many attempts" : error.message;
  }
  // @ts-expect-error signing in needs the password too
  await api.POST("/api/auth/signin", { body: { email } });
  return data.message;
}

export async function me(): Promise<string | null> {
  const { data, error } = await api.GET("/api/auth/me");
  if (error) {
    console.info(error.message); // 401: no valid session
    return null;
  }
  return `${data.name} (${data.role})`;
}

export async function checkout(product: string, variant: string): Promise<string | ApiError> {
  const body: JsonBody<"/api/orders", "post"> = {
    items: [{ product, variant, quantity: 2 }],
    billing: {
      firstName: "Ada",
      streetAddress: "1 Main Street",
      city: "Turin",
      phone: "5550000000",
      email: "ada@example.com",
    },
    discountCode: "SPRING10",
  };
  // @ts-expect-error a quantity is a number
  const wrong: JsonBody<"/api/orders", "post"> = { ...body, items: [{ product, quantity: "2" }] };
  void wrong;
  const { data, error } = await api.POST("/api/orders", {
    params: { header: { "Idempotency-Key": crypto.randomUUID() } },
    body,
  });
  if (error) {
    return error;
  }
  const total: number = data.data.total;
  void total;
  return data.data.id;
}

export async function moderate(commentId: string): Promise<void> {
  const { error } = await api.PUT("/api/comments/accept", { body: { id: commentId } });
  if (error?.errors) {
    for (const problem of error.errors) {
      console.warn(problem.field, problem.message);
    }
  }
  // @ts-expect-error a comment id is text
  await api.PUT("/api/comments/reject", { body: { id: 42 } });
}

export async function product(id: string): Promise<number> {
  const { data } = await api.GET("/api/products/{product_id}", {
    params: { path: { product_id: id } },
  });
  return data?.comments.length ?? 0;
}
