// The days of a business's week, Monday first, as its weekly hours name them. Apart from the zod
// schemas so that Mission Control can use them without bundling zod.
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
