/** Time comes in through deps so tests can move it (token expiry, rate windows, credits). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
