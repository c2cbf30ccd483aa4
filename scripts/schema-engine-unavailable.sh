#!/bin/sh
# Stand-in for Prisma's schema engine, which cannot be downloaded on our machines.
# `prisma generate` never runs it; `prisma migrate` must fail loudly instead of silently doing nothing.
echo "schema engine unavailable: migrations are applied by src/db/migrate.ts at start-up" >&2
exit 1
