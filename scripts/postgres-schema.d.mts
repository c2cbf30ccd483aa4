/** See postgres-schema.mjs. */
export function postgresSchema(source: string, opts?: { forClient?: boolean; output?: string }): string;
