/**
 * What localbox saw, for tests that check the client's behaviour from the server's side:
 * dispatch order, parts in flight, bytes that reached the server.
 */
export interface PartAttempt {
  sessionId: string;
  offset: number;
  /** Position in the server's event sequence when the request arrived and when it ended. */
  startSeq: number;
  endSeq: number | null;
  /** Wall clock (ms since epoch) when the request arrived, to time clients in other processes. */
  startedAtMs: number;
  /** The status answered; null while running or when the connection was dropped. */
  status: number | null;
  bodyBytesReceived: number;
}

/** One request as localbox saw it (admin routes left out), to check what a client sends when. */
export interface RequestEvent {
  method: string;
  /** The URL's path, ids included: `/2.0/users/me`, `/api/2.0/files/upload_sessions/S`. */
  path: string;
  operation: string;
  /** Positions in the same event sequence as PartAttempt's: a request ends before another starts when endSeq < startSeq. */
  startSeq: number;
  endSeq: number | null;
  /** Wall clock (ms since epoch) when the request arrived and when its answer ended, for benchmarks. */
  startedAtMs: number;
  endedAtMs: number | null;
}

export interface LocalboxStatsSnapshot {
  requestsByOperation: Record<string, number>;
  partPutsInFlight: number;
  maxPartPutsInFlight: number;
  /** The most part PUTs one session ever had in flight at once. */
  maxPartPutsInFlightBySession: Record<string, number>;
  partBodyBytesReceived: number;
  partsStored: number;
  partAttempts: PartAttempt[];
  /** Every request but the admin routes', in order of arrival (the first 50,000). */
  requests: RequestEvent[];
  /** Calls of POST /oauth2/token by grant_type, whatever their answer. */
  tokenRequests: TokenRequestCounts;
  /** Upload requests answered 429 rate_limit_exceeded by the upload rate limit (not by faults). */
  rateLimitedRequests: number;
}

export interface TokenRequestCounts {
  authorization_code: number;
  refresh_token: number;
  client_credentials: number;
}

const noTokenRequests = (): TokenRequestCounts => ({ authorization_code: 0, refresh_token: 0, client_credentials: 0 });

const MAX_LOGGED_ATTEMPTS = 50_000;

export class LocalboxStats {
  #seq = 0;
  #requestsByOperation: Record<string, number> = {};
  #inFlight = 0;
  #maxInFlight = 0;
  #inFlightBySession = new Map<string, number>();
  #maxBySession: Record<string, number> = {};
  #partBodyBytes = 0;
  #partsStored = 0;
  #attempts: PartAttempt[] = [];
  #requests: RequestEvent[] = [];
  #tokenRequests = noTokenRequests();
  #rateLimited = 0;

  rateLimited(): void {
    this.#rateLimited += 1;
  }

  tokenRequest(grantType: keyof TokenRequestCounts): void {
    this.#tokenRequests[grantType] += 1;
  }

  countRequest(operation: string): void {
    this.#requestsByOperation[operation] = (this.#requestsByOperation[operation] ?? 0) + 1;
  }

  requestStarted(method: string, path: string, operation: string): RequestEvent {
    const event: RequestEvent = {
      method,
      path,
      operation,
      startSeq: ++this.#seq,
      endSeq: null,
      startedAtMs: Date.now(),
      endedAtMs: null,
    };
    if (this.#requests.length < MAX_LOGGED_ATTEMPTS) this.#requests.push(event);
    return event;
  }

  requestEnded(event: RequestEvent): void {
    if (event.endSeq !== null) return;
    event.endSeq = ++this.#seq;
    event.endedAtMs = Date.now();
  }

  partStarted(sessionId: string, offset: number): PartAttempt {
    this.#inFlight += 1;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    const forSession = (this.#inFlightBySession.get(sessionId) ?? 0) + 1;
    this.#inFlightBySession.set(sessionId, forSession);
    this.#maxBySession[sessionId] = Math.max(this.#maxBySession[sessionId] ?? 0, forSession);
    const attempt: PartAttempt = {
      sessionId,
      offset,
      startSeq: ++this.#seq,
      endSeq: null,
      startedAtMs: Date.now(),
      status: null,
      bodyBytesReceived: 0,
    };
    if (this.#attempts.length < MAX_LOGGED_ATTEMPTS) this.#attempts.push(attempt);
    return attempt;
  }

  partBodyBytes(attempt: PartAttempt, bytes: number): void {
    attempt.bodyBytesReceived += bytes;
    this.#partBodyBytes += bytes;
  }

  partStored(): void {
    this.#partsStored += 1;
  }

  partEnded(attempt: PartAttempt, status: number | null): void {
    if (attempt.endSeq !== null) return;
    attempt.endSeq = ++this.#seq;
    attempt.status = status;
    this.#inFlight -= 1;
    this.#inFlightBySession.set(attempt.sessionId, (this.#inFlightBySession.get(attempt.sessionId) ?? 1) - 1);
  }

  snapshot(): LocalboxStatsSnapshot {
    return {
      requestsByOperation: { ...this.#requestsByOperation },
      partPutsInFlight: this.#inFlight,
      maxPartPutsInFlight: this.#maxInFlight,
      maxPartPutsInFlightBySession: { ...this.#maxBySession },
      partBodyBytesReceived: this.#partBodyBytes,
      partsStored: this.#partsStored,
      partAttempts: this.#attempts.map((attempt) => ({ ...attempt })),
      requests: this.#requests.map((event) => ({ ...event })),
      tokenRequests: { ...this.#tokenRequests },
      rateLimitedRequests: this.#rateLimited,
    };
  }

  reset(): void {
    this.#requestsByOperation = {};
    this.#maxInFlight = this.#inFlight;
    this.#maxBySession = {};
    this.#partBodyBytes = 0;
    this.#partsStored = 0;
    this.#attempts = [];
    this.#requests = [];
    this.#tokenRequests = noTokenRequests();
    this.#rateLimited = 0;
  }
}
