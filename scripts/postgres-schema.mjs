// PostgreSQL's schema is derived from prisma/schema.prisma (SQLite, the one definition we edit), so the two providers
// cannot drift. Two derivations:
//  - the database shape (committed as prisma/postgres/schema.prisma, written by `npm run db:migration`): provider
//    swapped, no generator, and every `Int` stored as `BigInt` — SQLite's INTEGER holds 64 bits, and amounts up to
//    the money cap (10^10 fen) do not fit PostgreSQL's 32-bit integer;
//  - the client's schema (generated at install into src/generated/, never committed): the same datamodel with `Int`
//    kept, so the PostgreSQL client has exactly the TypeScript types of the SQLite one (numbers). Prisma reads and
//    writes int8 columns through an Int field as numbers.
// Plain JavaScript: scripts/prisma-generate.mjs runs it at `npm install`, before any TypeScript tooling.

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs: do not edit.
// The PostgreSQL database shape that prisma/postgres/migrations produce (every Int stored as BIGINT).
// Written by \`npm run db:migration -- <name>\` together with both providers' migrations; a test fails when stale.
`;

const CLIENT_HEADER = `// GENERATED at install from prisma/schema.prisma by scripts/prisma-generate.mjs (the PostgreSQL client).
`;

/**
 * @param {string} source prisma/schema.prisma
 * @param {{ forClient?: boolean, output?: string }} [opts] forClient: keep Int and point the generator at `output`
 * @returns {string}
 */
export function postgresSchema(source, opts = {}) {
  if (/@db\./.test(source)) {
    throw new Error('prisma/schema.prisma uses a native type (@db.…): map it for PostgreSQL in scripts/postgres-schema.mjs');
  }
  let text = source.replace(/(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  if (!/provider\s*=\s*"postgresql"/.test(text)) throw new Error('prisma/schema.prisma: datasource provider "sqlite" not found');
  const generator = /generator\s+client\s*\{[^}]*\}\n*/;
  if (opts.forClient) {
    text = text.replace(generator, (block) => block.replace(/output\s*=\s*"[^"]*"/, `output = "${opts.output ?? './prisma-pg'}"`));
    return CLIENT_HEADER + text;
  }
  text = text.replace(generator, '');
  // Inside model blocks only: `  name  Int`, `Int?`, followed by a space, an attribute or the end of the line.
  text = text.replace(/^(model\s+\w+\s*\{[\s\S]*?^\})/gm, (model) =>
    model.replace(/^(\s+\w+\s+)Int(\??)(?=\s|$)/gm, (_m, head, optional) => `${head}BigInt${optional}`),
  );
  return HEADER + text;
}
