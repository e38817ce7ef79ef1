/** The colours a conversation label can have (issue #23). Free of zod, so the renderer can import it. */
export const LABEL_COLORS = ['gray', 'blue', 'green', 'yellow', 'orange', 'red', 'purple'] as const;
export type LabelColor = (typeof LABEL_COLORS)[number];
