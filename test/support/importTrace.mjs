// `node --import ./test/support/importTrace.mjs app.js`: writes every module URL the app resolves to the file named
// by IMPORT_TRACE (one a line), so a test can see which packages a process loaded — ES modules through the loader's
// resolve hook, CommonJS modules through require() (which those hooks do not see in Node 20). A WebAssembly module
// of more than 1 MB compiled synchronously on the main thread (new WebAssembly.Module) is written as "wasm:sync:<bytes>".
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./importTraceHooks.mjs', import.meta.url);

const trace = process.env.IMPORT_TRACE;
const load = Module._load;
Module._load = function traced(request, parent, isMain) {
  const result = load.apply(this, arguments);
  if (trace && !Module.isBuiltin(request)) {
    try {
      appendFileSync(trace, `${pathToFileURL(Module._resolveFilename(request, parent, isMain)).href}\n`);
    } catch {
      // resolved by a loader of its own: the ES module hook has it
    }
  }
  return result;
};

const SyncModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(SyncModule, {
  construct(target, args, newTarget) {
    const bytes = args[0]?.byteLength ?? 0;
    if (trace && bytes > 1024 * 1024) appendFileSync(trace, `wasm:sync:${bytes}\n`);
    return Reflect.construct(target, args, newTarget);
  },
});
