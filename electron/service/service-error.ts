/** A request the service refuses, in words for the person. */
export class ServiceError extends Error {}
