/** Query-key factory: every cache entry's key is built here, so invalidation has one source. */
export const keys = {
  auth: {
    all: ['auth'] as const,
    me: () => [...keys.auth.all, 'me'] as const,
  },
};
