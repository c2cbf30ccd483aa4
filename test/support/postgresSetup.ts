// Per test file on PostgreSQL: drops the databases the file created once it is done (connections still open are
// closed by the server: WITH (FORCE)).
import { afterAll } from 'vitest';
import { adminQuery, createdDatabases } from './tempDb.js';

afterAll(async () => {
  const names = createdDatabases.splice(0);
  if (names.length > 0) await adminQuery(...names.map((n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`));
});
