// `node --import ./test/support/importTrace.mjs app.js`: writes every module URL the app resolves to the file named
// by IMPORT_TRACE (one a line), so a test can see which packages a process loaded.
import { register } from 'node:module';

register('./importTraceHooks.mjs', import.meta.url);
