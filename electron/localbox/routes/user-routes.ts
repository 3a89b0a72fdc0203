import type { Exchange } from '../exchange.ts';
import type { LocalboxContext } from '../localbox-context.ts';

/** Box's mini representation, always returned when `fields` is given (spec: GET /users/me). */
const MINI_FIELDS = ['type', 'id', 'name', 'login'];

/**
 * GET /2.0/users/me: the user the token acts for, as Box's User (typed User--Full in the spec):
 * space_amount, space_used and max_upload_size among the standard fields. With `fields=a,b`,
 * Box answers the mini fields plus the ones asked for.
 */
export async function getCurrentUser(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const user = context.user.view();
  const fields = exchange.url.searchParams.get('fields');
  if (fields === null) return exchange.json(200, user);
  const wanted = new Set([...MINI_FIELDS, ...fields.split(',').map((field) => field.trim())]);
  await exchange.json(200, Object.fromEntries(Object.entries(user).filter(([key]) => wanted.has(key))));
}
