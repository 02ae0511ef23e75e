// The `browser` export condition of `parley/server` points here, so a bundler that pulls the
// Node server into browser code fails loudly instead of shipping it.
throw new Error(
  'parley/server is the Node reference server and cannot run in a browser; import "parley" or "parley/client" instead.',
);
