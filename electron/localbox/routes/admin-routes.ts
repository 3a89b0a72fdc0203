import { checkAnswers, DEFAULT_ANSWERS, type BoxAnswers } from '../box-answers.ts';
import type { Exchange } from '../exchange.ts';
import { checkFaultRule, type FaultRule } from '../faults.ts';
import type { LocalboxContext } from '../localbox-context.ts';
import { badRequest, notFound } from '../localbox-error.ts';
import { checkUserSettings, type LocalboxUserSettings } from '../user-account.ts';

/**
 * Test controls under /_localbox/, guarded by the same bearer token as the API, so a localbox
 * running in another process can be given faults and asked what it saw.
 */
export async function adminRoute(exchange: Exchange, context: LocalboxContext): Promise<void> {
  const action = `${exchange.req.method} ${exchange.url.pathname}`;
  switch (action) {
    case 'POST /_localbox/faults': {
      const rule = await exchange.readJson();
      const problem = checkFaultRule(rule);
      if (problem) throw badRequest(`Invalid fault rule: ${problem}`);
      context.faults.add(rule as FaultRule);
      return exchange.empty(204);
    }
    case 'DELETE /_localbox/faults':
      context.faults.clear();
      return exchange.empty(204);
    case 'GET /_localbox/stats':
      return exchange.json(200, context.stats.snapshot());
    case 'DELETE /_localbox/stats':
      context.stats.reset();
      return exchange.empty(204);
    case 'POST /_localbox/token': {
      const body = (await exchange.readJson()) as { token?: unknown } | undefined;
      if (typeof body?.token !== 'string' || body.token.length < 1)
        throw badRequest('token must be a non-empty string');
      context.token = body.token;
      return exchange.empty(204);
    }
    case 'POST /_localbox/revoke-tokens':
      context.oauth.revokeAll();
      return exchange.empty(204);
    case 'POST /_localbox/user': {
      const settings = await exchange.readJson();
      const problem = checkUserSettings(settings);
      if (problem) throw badRequest(`Invalid user: ${problem}`);
      context.user.set(settings as LocalboxUserSettings);
      return exchange.empty(204);
    }
    case 'GET /_localbox/answers':
      return exchange.json(200, context.answers);
    case 'POST /_localbox/answers': {
      const answers = await exchange.readJson();
      const problem = checkAnswers(answers);
      if (problem) throw badRequest(`Invalid answers: ${problem}`);
      context.answers = { ...context.answers, ...(answers as Partial<BoxAnswers>) };
      return exchange.json(200, context.answers);
    }
    case 'DELETE /_localbox/answers':
      context.answers = { ...DEFAULT_ANSWERS };
      return exchange.empty(204);
    case 'POST /_localbox/expire-sessions': {
      const body = (await exchange.readJson()) as { sessionId?: unknown } | undefined;
      await expireSessions(context, typeof body?.sessionId === 'string' ? body.sessionId : undefined);
      return exchange.empty(204);
    }
    default:
      throw notFound(`No localbox control at ${action}`);
  }
}

/** Makes open sessions (one, or all) expire now, as if 7 days had passed. */
export async function expireSessions(context: LocalboxContext, sessionId?: string): Promise<void> {
  for (const session of context.sessions.all()) {
    if (session.record.state !== 'open' || (sessionId !== undefined && session.record.id !== sessionId)) continue;
    session.record.expiresAtMs = Date.now() - 1;
    await session.persist();
  }
}
